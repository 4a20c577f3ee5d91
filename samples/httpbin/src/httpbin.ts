// httpbin process: HTTP on HOST:PORT (see server/http-app.ts), and the gRPC Streamer on
// HOST:GRPC_PORT when GRPC_PORT is set. POD_NAME and SERVICE_VERSION name it in every answer.
// Logs `listening on HOST:PORT` once both are bound; stops on SIGTERM/SIGINT.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenSettings, optionalPort } from './server/env';
import { bindStreamer, createStreamerServer } from './server/grpc-streamer';
import { createHttpbinApp } from './server/http-app';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const { host, port } = listenSettings(env);
  const grpcPort = optionalPort(env, 'GRPC_PORT');
  const id = { pod: env.POD_NAME?.trim() || 'httpbin', version: env.SERVICE_VERSION?.trim() || 'v1' };
  const app = createHttpbinApp(id);
  const server = http.createServer(app.onRequest);
  server.on('upgrade', app.onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const grpcServer = grpcPort === undefined ? undefined : createStreamerServer(id);
  const boundGrpc = grpcServer ? await bindStreamer(grpcServer, host, grpcPort ?? 0) : undefined;
  const bound = (server.address() as AddressInfo).port;
  process.stdout.write(`grpc ${boundGrpc === undefined ? 'off' : `on ${host}:${boundGrpc}`}\nlistening on ${host}:${bound}\n`);
  const stop = (): void => {
    grpcServer?.forceShutdown();
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
