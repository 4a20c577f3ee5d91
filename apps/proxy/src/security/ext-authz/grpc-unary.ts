import http2 from 'node:http2';
import type { H2ClientPool } from '../../h2/h2-client-pool';

/** A unary call that did not return a message: its gRPC status name and details. */
export class GrpcCallError extends Error {
  constructor(
    readonly status: string,
    readonly details: string,
  ) {
    super(`${status}: ${details}`);
  }
}

/** gRPC status codes by number (the subset a failed call reports by name; others print as numbers). */
const STATUS_NAMES: Record<string, string> = { '1': 'CANCELLED', '2': 'UNKNOWN', '4': 'DEADLINE_EXCEEDED', '12': 'UNIMPLEMENTED', '13': 'INTERNAL', '14': 'UNAVAILABLE', '16': 'UNAUTHENTICATED', '7': 'PERMISSION_DENIED' };

export interface UnaryCall {
  /** `/package.Service/Method`. */
  path: string;
  authority: string;
  /** The serialized request message. */
  message: Buffer;
  /** Absolute deadline (ms since the epoch), Infinity for none. */
  deadline: number;
}

/** A length-prefixed message (gRPC over HTTP/2: compressed flag 0, 4-byte big-endian length). */
function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/**
 * One unary gRPC call on a session of `pool`: the upstream host's HTTP/2 sessions, so the call
 * goes over the cluster's transport socket (TLS, mTLS, PROXY protocol) as Envoy's gRPC async
 * client does. Resolves with the serialized response message; rejects with a GrpcCallError.
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 */
export async function unaryCall(pool: H2ClientPool, scheme: 'http' | 'https', call: UnaryCall): Promise<Buffer> {
  const left = call.deadline - Date.now();
  if (left <= 0) throw new GrpcCallError('DEADLINE_EXCEEDED', 'Deadline exceeded');
  const headers: http2.OutgoingHttpHeaders = { ':method': 'POST', ':scheme': scheme, ':path': call.path, ':authority': call.authority, 'content-type': 'application/grpc', te: 'trailers' };
  if (Number.isFinite(left)) headers['grpc-timeout'] = `${Math.ceil(left)}m`;
  let timer: NodeJS.Timeout | undefined;
  let stream: http2.ClientHttp2Stream | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (Number.isFinite(left))
      timer = setTimeout(() => {
        stream?.close(http2.constants.NGHTTP2_CANCEL);
        reject(new GrpcCallError('DEADLINE_EXCEEDED', 'Deadline exceeded'));
      }, left);
  });
  try {
    return await Promise.race([deadline, send(pool, headers, call.message, (s) => (stream = s))]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(pool: H2ClientPool, headers: http2.OutgoingHttpHeaders, message: Buffer, opened: (s: http2.ClientHttp2Stream) => void): Promise<Buffer> {
  let stream: http2.ClientHttp2Stream;
  try {
    stream = await pool.request(headers, false);
  } catch (err) {
    throw new GrpcCallError('UNAVAILABLE', (err as Error).message);
  }
  opened(stream);
  stream.end(frame(message));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let details = '';
    const take = (h: http2.IncomingHttpHeaders): void => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
      if (h['grpc-message'] !== undefined) details = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', (h) => {
      if (h[':status'] !== 200) return reject(new GrpcCallError('UNAVAILABLE', `HTTP status ${String(h[':status'])}`));
      take(h);
    });
    stream.on('trailers', take);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (err) => reject(new GrpcCallError('UNAVAILABLE', err.message)));
    stream.on('close', () => {
      if (status === undefined) return reject(new GrpcCallError('UNAVAILABLE', 'stream closed without grpc-status'));
      if (status !== '0') return reject(new GrpcCallError(STATUS_NAMES[status] ?? status, details));
      const body = Buffer.concat(chunks);
      if (body.length < 5 || body[0] !== 0) return reject(new GrpcCallError('INTERNAL', 'no uncompressed response message'));
      resolve(body.subarray(5, 5 + body.readUInt32BE(1)));
    });
  });
}
