import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ProcessSpec } from './supervisor';

/** Finds a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function findOnPath(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out ? out : undefined;
}

export const NATS_MISSING = [
  'meshctl up needs NATS with JetStream: set NATS_URL to a running server, or install nats-server:',
  '  Debian/Ubuntu: sudo apt-get install nats-server',
  '  other systems: https://docs.nats.io/running-a-nats-service/introduction/installation',
].join('\n');

/** A nats-server with JetStream in `<stateDir>/nats`, on a free loopback port. */
export async function natsServerSpec(binary: string, stateDir: string): Promise<{ spec: ProcessSpec; url: string }> {
  const port = await freePort();
  const dir = path.join(stateDir, 'nats');
  fs.mkdirSync(dir, { recursive: true });
  return {
    url: `nats://127.0.0.1:${port}`,
    spec: { name: 'nats-server', command: binary, args: ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], ready: /Server is ready/, readyTimeoutMs: 15_000 },
  };
}
