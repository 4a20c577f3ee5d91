/**
 * HTTP/2 upstreams of the sidecar-overhead scenario, in one process: an h2c (prior knowledge)
 * server answering every request with 1024 bytes, and a gRPC server answering every unary call
 * (`/bench.Bench/Get`) with a 1024-byte message. The gRPC side speaks the gRPC wire protocol on
 * node:http2 directly (length-prefixed message, grpc-status trailer), so the baseline measures
 * HTTP/2 and gRPC framing rather than a gRPC library's overhead.
 * `node h2-upstream.js --host H --h2-port P --grpc-port Q`; prints `listening`.
 */
import http2 from 'node:http2';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const host = arg('host', '127.0.0.1');
const body = Buffer.alloc(1024, 'x');
const grpcMessage = Buffer.concat([Buffer.from([0, 0, 0, 4, 0]), body]); // flag 0, length 1024

const h2 = http2.createServer();
h2.on('stream', (stream) => {
  stream.respond({ ':status': 200, 'content-type': 'text/plain', 'content-length': body.length });
  stream.end(body);
});

const grpc = http2.createServer();
grpc.on('stream', (stream) => {
  stream.on('data', () => undefined);
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(grpcMessage);
  });
  stream.on('error', () => undefined);
});

h2.listen(Number(arg('h2-port', '18082')), host, () => {
  grpc.listen(Number(arg('grpc-port', '18083')), host, () => process.stdout.write('listening\n'));
});
process.on('SIGTERM', () => {
  h2.close();
  grpc.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
