import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { ResponseBody } from './response-body';
import type { ConnectionInfo } from '../net/connection';
import type { UpstreamHost } from '../upstream';
import type { HeaderMap } from './headers';

export type RawHeaders = Record<string, string | string[] | undefined>;

/** An upstream response at its headers, whichever codec (undici HTTP/1.1, node:http2) carried it. */
export interface UpstreamResponse {
  statusCode: number;
  headers: RawHeaders;
  /** The body, unread. */
  body: ResponseBody;
  /** Trailers (gRPC status); filled by the time `body` ends. */
  trailers: RawHeaders;
  /** The response ended with its headers (HTTP/2 END_STREAM on HEADERS: a gRPC trailers-only reply). */
  headersOnly: boolean;
  /** Reads and discards the body (before a retry). */
  dump(): Promise<void>;
}

export interface AttemptRequest {
  host: UpstreamHost;
  /** The codec towards this host for this request. */
  protocol: 'http1' | 'http2';
  method: string;
  path: string;
  headers: HeaderMap;
  body?: Readable;
  /** Emits `abort` to cancel the attempt (undici accepts an EventEmitter). */
  signal: EventEmitter;
  /** Whether an abort was requested (then any error is reported as `aborted`). */
  aborted: () => boolean;
  /** The downstream connection the request arrived on (PROXY protocol clusters pool per connection). */
  downstream?: ConnectionInfo;
}

export type AttemptResult = { kind: 'response'; data: UpstreamResponse } | { kind: 'connect-failure' | 'reset' | 'aborted'; detail: string };

/** Errors that mean no connection was established (Envoy flag UF). */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'UNKNOWN';
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  return cause ? errorCode(cause) : typeof code === 'string' ? code : 'UNKNOWN';
}

/** Classifies a transport failure the way Envoy names stream resets. */
export function classifyError(err: unknown, aborted: boolean): AttemptResult {
  const code = errorCode(err);
  const detail = err instanceof Error ? `${code}: ${err.message}` : code;
  if (aborted) return { kind: 'aborted', detail };
  if (CONNECT_ERRORS.has(code)) return { kind: 'connect-failure', detail };
  return { kind: 'reset', detail };
}
