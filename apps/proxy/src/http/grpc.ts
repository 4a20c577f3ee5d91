import type { HeaderMap } from './headers';

/** gRPC status codes the proxy itself produces. https://grpc.github.io/grpc/core/md_doc_statuscodes.html */
export const GrpcStatus = {
  OK: 0,
  UNKNOWN: 2,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * A gRPC request as Envoy recognises one: `content-type: application/grpc` or
 * `application/grpc+<codec>` (parameters after `;` allowed).
 */
export function isGrpcRequest(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const ct = headers['content-type'];
  const v = (Array.isArray(ct) ? ct[0] : ct)?.toLowerCase();
  if (!v?.startsWith('application/grpc')) return false;
  const rest = v.slice('application/grpc'.length);
  return rest === '' || rest.startsWith('+') || rest.startsWith(';');
}

/**
 * The gRPC status a client derives from an HTTP status, used when the proxy answers a gRPC
 * request itself (Envoy's Grpc::Utility::httpToGrpcStatus).
 * https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md
 */
export function httpToGrpcStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

/**
 * Percent-encodes a grpc-message value: bytes outside printable ASCII (0x20-0x7E) and `%` itself.
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md#responses
 */
export function encodeGrpcMessage(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Headers of a trailers-only gRPC response (HTTP 200, no body): how Envoy answers a gRPC request
 * locally. An explicit `grpcStatus` (fault filter abort) wins over the one mapped from `httpStatus`;
 * grpc-message carries the local reply's text when there is one.
 */
export function grpcLocalReplyHeaders(httpStatus: number, text: string, grpcStatus?: number): HeaderMap {
  const h: HeaderMap = { 'content-type': 'application/grpc', 'grpc-status': String(grpcStatus ?? httpToGrpcStatus(httpStatus)) };
  if (text) h['grpc-message'] = encodeGrpcMessage(text);
  return h;
}
