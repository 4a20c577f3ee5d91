/**
 * Envoy response flags we set.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags
 */
export type ResponseFlag =
  | 'NR' // no route
  | 'NC' // no cluster
  | 'UH' // no healthy upstream
  | 'UF' // upstream connection failure
  | 'UC' // upstream connection termination
  | 'UT' // upstream request timeout
  | 'URX' // upstream retry limit exceeded
  | 'UO' // upstream overflow (circuit breaker)
  | 'DC' // downstream connection termination
  | 'DI' // delay injected by the fault filter
  | 'FI' // fault (abort) injected by the fault filter
  | 'DPE' // downstream protocol error
  | 'UAEX'; // unauthorized by the external authorization service (ext_authz)

/** What the access log and stats learn about one request. */
export interface StreamInfo {
  startTime: Date;
  startMs: number;
  method: string;
  /** Original `:path` (before any rewrite). */
  path: string;
  protocol: string;
  authority: string;
  requestId?: string;
  forwardedFor?: string;
  userAgent?: string;
  status?: number;
  flags: Set<ResponseFlag>;
  bytesReceived: number;
  bytesSent: number;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamServiceTimeMs?: number;
  routeName?: string;
  /** Envoy's %RESPONSE_CODE_DETAILS% for locally generated replies. */
  details?: string;
}

export function newStreamInfo(method: string, path: string, authority: string, now = Date.now()): StreamInfo {
  return { startTime: new Date(now), startMs: now, method, path, protocol: 'HTTP/1.1', authority, flags: new Set(), bytesReceived: 0, bytesSent: 0 };
}

/** Flags as Envoy prints them: comma-separated, `-` when none. */
export function formatFlags(flags: ReadonlySet<ResponseFlag>): string {
  return flags.size ? [...flags].join(',') : '-';
}
