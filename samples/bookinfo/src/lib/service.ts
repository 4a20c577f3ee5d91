// Process wiring shared by every Bookinfo entry file: read HOST/PORT, route outbound HTTP through
// the standard proxy environment, listen, log one `listening on HOST:PORT` line, stop on signals.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** HOST defaults to 127.0.0.1; PORT is required (0 picks a free port). */
export function listenAddressFromEnv(env: Env): ListenAddress {
  const host = env.HOST?.trim() || '127.0.0.1';
  const raw = env.PORT?.trim();
  if (!raw) throw new Error('PORT is required');
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got "${raw}"`);
  return { host, port };
}

/** Starts `listener` on the address and resolves with the bound address. */
export function listen(listener: http.RequestListener, address: ListenAddress): Promise<{ server: http.Server; address: ListenAddress }> {
  const server = http.createServer(listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const bound = server.address() as AddressInfo;
      resolve({ server, address: { host: address.host, port: bound.port } });
    });
  });
}

/**
 * The global dispatcher of every Bookinfo process: undici's EnvHttpProxyAgent, so HTTP_PROXY /
 * HTTPS_PROXY / NO_PROXY are honoured like in any other app (this is how a local sidecar captures
 * egress without the app knowing about the mesh). `proxyTunnel: false` makes plain-http requests
 * go to the proxy in absolute form (`GET http://reviews:9080/reviews/0`), as curl and most clients
 * do, instead of undici's default CONNECT tunnel: the proxy then sees and can route the HTTP
 * request itself (headers, path), which L7 routing rules need.
 */
export function createProxyDispatcher(): EnvHttpProxyAgent {
  return new EnvHttpProxyAgent({ proxyTunnel: false });
}

/** Runs one service as a process: see createProxyDispatcher for outbound calls. */
export function runService(createListener: (env: Env) => http.RequestListener, env: Env = process.env): void {
  const start = async (): Promise<void> => {
    setGlobalDispatcher(createProxyDispatcher());
    const { server, address } = await listen(createListener(env), listenAddressFromEnv(env));
    process.stdout.write(`listening on ${address.host}:${address.port}\n`);
    const stop = (): void => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  };
  start().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
