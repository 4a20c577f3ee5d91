// sleep process: the client pod of Istio's httpbin tasks (where they `kubectl exec` curl). It
// serves GET /fetch?url=<url> on HOST:PORT: the URL is fetched through the standard proxy
// environment (HTTP_PROXY = its sidecar, absolute-form requests) and the answer comes back as
// JSON {status, headers, body}; a transport failure is {status: 0, error}. Logs
// `listening on HOST:PORT`; stops on SIGTERM/SIGINT.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvHttpProxyAgent, fetch } from 'undici';
import { listenSettings } from './server/env';

const FETCH_TIMEOUT_MS = 20_000;

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const { host, port } = listenSettings(env);
  // proxyTunnel false: plain-http requests go to the proxy in absolute form, like curl does, so the
  // sidecar sees the HTTP request itself rather than a CONNECT tunnel.
  const dispatcher = new EnvHttpProxyAgent({ proxyTunnel: false });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sleep');
    const target = url.pathname === '/fetch' ? url.searchParams.get('url') : null;
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!target) return reply(404, { error: 'use GET /fetch?url=<url>' });
    fetch(target, { dispatcher, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
      .then(async (r) => reply(200, { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() }))
      .catch((e: unknown) => reply(200, { status: 0, error: e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  process.stdout.write(`listening on ${host}:${(server.address() as AddressInfo).port}\n`);
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.env).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
