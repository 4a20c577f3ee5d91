// Greeter server process: HOST (default 127.0.0.1), PORT (required), SERVICE_VERSION (default v1),
// XDS_SERVER=true for an xDS-enabled (proxyless) server configured by Pilot through
// GRPC_XDS_BOOTSTRAP. Logs one `listening on HOST:PORT` line once bound (an xDS server: once it
// serves, i.e. after its listener arrived).
import { bind, createGreeterServer } from './greeter';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const host = env.HOST?.trim() || '127.0.0.1';
  const rawPort = env.PORT?.trim();
  if (!rawPort) throw new Error('PORT is required');
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got "${rawPort}"`);
  const version = env.SERVICE_VERSION?.trim() || 'v1';

  const server = createGreeterServer(version, { xds: env.XDS_SERVER === 'true' });
  const bound = await bind(server, host, port);
  process.stdout.write(`listening on ${host}:${bound}\n`);
  const stop = (): void => server.tryShutdown(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.env).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
