// The gRPC side of the httpbin sample: `httpbin.Streamer/Count`, a server-streaming call
// (proto/httpbin.proto, loaded at run time like the greeter sample). Initial metadata names the pod;
// trailers carry `x-httpbin-sent` (the number of replies), then the status.
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Identity } from './http-app';
import { POD_HEADER } from './http-app';

export const PROTO_PATH = path.resolve(__dirname, '..', '..', 'proto', 'httpbin.proto');
export const COUNT_PATH = '/httpbin.Streamer/Count';
export const SENT_TRAILER = 'x-httpbin-sent';
const MAX_COUNT = 1000;
const MAX_INTERVAL_MS = 1000;

export interface CountRequest {
  count: number;
  interval_ms: number;
  fail_with: number;
}

export interface CountReply {
  n: number;
  pod: string;
}

export function streamerService(): protoLoader.ServiceDefinition {
  const pkg = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true });
  const service = pkg['httpbin.Streamer'];
  if (!service || 'format' in service || service.Count?.path !== COUNT_PATH) throw new Error(`${PROTO_PATH}: no httpbin.Streamer/Count`);
  return service;
}

/** A gRPC server (not yet bound) serving Streamer as `id`. */
export function createStreamerServer(id: Identity): grpc.Server {
  const server = new grpc.Server();
  const count: grpc.handleServerStreamingCall<CountRequest, CountReply> = (call) => {
    const md = new grpc.Metadata();
    md.set(POD_HEADER, id.pod);
    call.sendMetadata(md);
    const total = Math.max(0, Math.min(call.request.count, MAX_COUNT));
    const interval = Math.max(0, Math.min(call.request.interval_ms, MAX_INTERVAL_MS));
    let n = 0;
    const finish = (): void => {
      const trailers = new grpc.Metadata();
      trailers.set(SENT_TRAILER, String(n));
      const code = call.request.fail_with;
      if (code >= 1 && code <= 16) call.emit('error', { code, details: `failed as asked after ${n} replies`, metadata: trailers });
      else call.end(trailers);
    };
    const step = (): void => {
      if (call.cancelled) return;
      if (n >= total) return finish();
      n += 1;
      call.write({ n, pod: id.pod });
      setTimeout(step, interval);
    };
    step();
  };
  server.addService(streamerService(), { Count: count });
  return server;
}

/** Binds insecure on host:port and resolves with the bound port. */
export function bindStreamer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))));
}
