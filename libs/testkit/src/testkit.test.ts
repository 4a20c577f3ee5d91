import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, spawnProcess, startNats, waitFor } from './index';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    await expect(waitFor(() => ++n >= 3 && n, { intervalMs: 1 })).resolves.toBe(3);
  });
  it('times out with the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 50, intervalMs: 5 },
      ),
    ).rejects.toThrow(/still broken/);
  });
});

describe('freePort', () => {
  it('returns a bindable port', async () => {
    const port = await freePort();
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    await new Promise<void>((r) => srv.close(() => r()));
  });
});

describe('spawnProcess', () => {
  it('waits for the ready line and captures output', async () => {
    const p = await spawnProcess(process.execPath, ['-e', 'console.log("hello"); console.error("ready now"); setInterval(() => {}, 1000)'], {
      name: 'node',
      readyLine: /ready now/,
    });
    expect(p.output()).toContain('hello');
    const info = await p.stop();
    expect(info.signal).toBe('SIGTERM');
  });
  it('rejects with output when the process exits before ready', async () => {
    await expect(
      spawnProcess(process.execPath, ['-e', 'console.log("boom"); process.exit(3)'], { name: 'node', readyLine: /never/ }),
    ).rejects.toThrow(/boom/);
  });
  it('escalates to SIGKILL', async () => {
    const p = await spawnProcess(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'], {
      name: 'stubborn',
      readyLine: /up/,
      killTimeoutMs: 100,
    });
    expect((await p.stop()).signal).toBe('SIGKILL');
  });
});

describe('startNats', () => {
  it('starts a JetStream server on a free port, restarts it, and cleans up', async () => {
    const nats = await startNats();
    try {
      expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      const port = nats.port;
      await nats.restart();
      expect(nats.port).toBe(port);
      expect(fs.existsSync(nats.dir)).toBe(true);
    } finally {
      await nats.stop();
    }
    expect(fs.existsSync(nats.dir)).toBe(false);
  });
});
