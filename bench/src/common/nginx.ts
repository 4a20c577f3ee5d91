import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '@mizzen/testkit';
import { waitFor } from '@mizzen/testkit';
import type { Cleanup } from './cleanup';
import { ProcessGroup } from './proc-stats';
import { which } from './system-packages';

export interface NginxOptions {
  name: string;
  workers: number;
  /** `server { ... }` and `upstream { ... }` blocks for the http context; `${WWW}` is the document root. */
  httpBlocks: string;
  /** Addresses to wait for (`host:port`). */
  listens: string[];
  /** Files to create under the document root (`<prefix>/www`), name -> content. */
  files?: Record<string, string | Buffer>;
}

export interface Nginx {
  readonly prefix: string;
  readonly www: string;
  /** Master and workers. */
  group(): ProcessGroup;
}

/**
 * Runs a private nginx (`nginx -p <tmp> -c <tmp>/nginx.conf`, in the foreground) with the given
 * worker count, access log off and every temp path inside its own directory.
 */
export async function startNginx(cleanup: Cleanup, o: NginxOptions): Promise<Nginx> {
  const bin = which('nginx');
  if (!bin) throw new Error('nginx is not installed');
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${o.name}-`));
  cleanup.add(`${o.name} dir`, () => fs.rmSync(prefix, { recursive: true, force: true }));
  const www = path.join(prefix, 'www');
  fs.mkdirSync(www, { recursive: true });
  for (const [name, content] of Object.entries(o.files ?? {})) fs.writeFileSync(path.join(www, name), content);
  fs.chmodSync(prefix, 0o755);
  const isRoot = process.getuid?.() === 0;
  const conf = `
${isRoot ? 'user root;' : ''}
worker_processes ${o.workers};
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 75s;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  default_type text/plain;
${o.httpBlocks.replaceAll('${WWW}', www)}
}
`;
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const proc = await spawnProcess(bin, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { name: o.name, killTimeoutMs: 5000 });
  cleanup.add(o.name, () => proc.stop('SIGQUIT'));
  for (const addr of o.listens) {
    const [host, port] = addr.split(':');
    await waitFor(() => canConnect(host, Number(port)), { timeoutMs: 10_000, intervalMs: 50, message: `${o.name} on ${addr}: ${proc.output()}` });
  }
  return { prefix, www, group: () => ProcessGroup.tree(o.name, proc.pid) };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
