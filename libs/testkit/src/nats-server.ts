import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type RunningProcess, spawnProcess } from './process';
import { waitFor } from './wait-for';

export interface NatsServerOptions {
  /** Binary to run (default `nats-server` on PATH, or `NATS_SERVER_BIN`). */
  bin?: string;
  /** Fixed port; default lets the server pick a free one (`-p -1`). */
  port?: number;
  /** Store/ports directory; default a fresh temp dir removed on `stop()`. */
  dir?: string;
  /** Extra command line arguments. */
  args?: string[];
  /** How long to wait for the server to accept connections (default 10000 ms). */
  readyTimeoutMs?: number;
}

export interface NatsServer {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Directory holding the JetStream store (`<dir>/jetstream`) and the ports file. */
  readonly dir: string;
  /** Captured server output, for diagnosis. */
  output(): string;
  /** Stops the server (SIGINT, a clean JetStream shutdown) and removes the temp dir it created. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port with the same store (to test reconnects). */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** Stops the server but keeps its store, so `start()` can bring it back. */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port and store. */
  start(): Promise<void>;
}

/**
 * Starts a real `nats-server` with JetStream on loopback:
 * `nats-server -a 127.0.0.1 -p -1 -js -sd <dir> --ports_file_dir <dir>`. Resolves once the ports
 * file exists and a TCP client receives the server's INFO line.
 */
export async function startNats(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const bin = opts.bin ?? process.env.NATS_SERVER_BIN ?? 'nats-server';
  const ownDir = !opts.dir;
  const dir = opts.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-nats-')));
  const readyTimeoutMs = opts.readyTimeoutMs ?? 10_000;
  let port = opts.port ?? -1;
  let proc: RunningProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir, '--ports_file_dir', dir, ...(opts.args ?? [])];
    const p = await spawnProcess(bin, args, { name: 'nats-server', killTimeoutMs: 5000 });
    proc = p;
    const portsFile = path.join(dir, `nats-server_${p.pid}.ports`);
    try {
      const url = await waitFor(
        async () => {
          if (p.child.exitCode !== null) throw new Error(`nats-server exited: ${p.output()}`);
          const text = await fs.readFile(portsFile, 'utf8');
          const parsed = JSON.parse(text) as { nats?: string[] };
          return parsed.nats?.[0];
        },
        { timeoutMs: readyTimeoutMs, intervalMs: 10, message: 'nats-server ports file' },
      );
      port = Number(new URL(url).port);
      await waitFor(() => probe(port), { timeoutMs: readyTimeoutMs, intervalMs: 20, message: 'nats-server connect' });
    } catch (err) {
      await p.stop('SIGKILL');
      throw new Error(`${(err as Error).message}\n--- nats-server output ---\n${p.output()}`, { cause: err });
    }
  };

  const kill = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    // SIGINT shuts JetStream down cleanly; SIGTERM makes 2.9 exit 1.
    if (p) await p.stop('SIGINT');
  };

  await launch();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    output: () => proc?.output() ?? '',
    kill,
    start: async () => {
      if (!proc) await launch();
    },
    restart: async ({ downMs = 0 } = {}) => {
      await kill();
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    stop: async () => {
      await kill();
      if (ownDir) await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** True once a TCP client receives the server's `INFO {...}` greeting. */
function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (d) => done(d.toString('utf8').startsWith('INFO ')));
  });
}
