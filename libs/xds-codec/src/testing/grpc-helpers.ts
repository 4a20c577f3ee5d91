/** Small helpers for gRPC tests on loopback. */
import * as grpc from '@grpc/grpc-js';

export async function startServer(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/** Graceful shutdown, forced after `graceMs` (open streams would otherwise hold it forever). */
export async function stopServer(server: grpc.Server, graceMs = 1000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves with the first value `pick` returns for a stream 'data' event, rejects on error or timeout. */
export function nextMatching<T, R>(stream: NodeJS.EventEmitter, pick: (v: T) => R | undefined, timeoutMs = 10_000): Promise<R> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const onData = (v: T): void => {
      const r = pick(v);
      if (r !== undefined) done(undefined, r);
    };
    const onError = (e: Error): void => done(e);
    function done(err?: Error, r?: R): void {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('error', onError);
      if (err) reject(err);
      else resolve(r as R);
    }
    stream.on('data', onData);
    stream.on('error', onError);
  });
}
