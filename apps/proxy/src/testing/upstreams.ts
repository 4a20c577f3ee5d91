import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestUpstream {
  name: string;
  host: string;
  port: number;
  /** Requests seen, newest last. */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  /** TCP connections accepted (keep-alive reuse shows as few connections). */
  connections: number;
  server: http.Server;
  close(): Promise<void>;
}

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, name: string) => void;

/** Replies `200 <name>` with the request echoed in `x-upstream` and `x-seen-*` headers. */
export const echo: UpstreamHandler = (req, res, name) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': name, 'x-seen-path': req.url ?? '', 'x-seen-host': req.headers.host ?? '' });
    res.end(name);
  });
};

/** An HTTP server on `host` (e.g. 127.0.0.21) and a free port. */
export async function startUpstream(name: string, host: string, handler: UpstreamHandler = echo): Promise<TestUpstream> {
  const u: Partial<TestUpstream> & { requests: TestUpstream['requests']; connections: number } = { name, host, requests: [], connections: 0 };
  const server = http.createServer((req, res) => {
    u.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, name);
  });
  server.on('connection', () => u.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return Object.assign(u, {
    server,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as TestUpstream;
}

/** Sends one request through a keep-alive-less agent and collects the response. */
export function request(
  target: { host: string; port: number },
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
