import { checkCorsHeaderName } from '../../common/checks/headers';
import { checkPort } from '../../common/checks/ports';
import { checkPercentage, checkIntPercent } from '../../common/checks/percent';
import { checkRE2 } from '../../common/checks/re2';
import { checkDuration, parseDuration } from '../../common/duration';
import { validateDestination } from '../../common/validate/destination';
import { validateStringMatchRegex } from '../../common/validate/string-match';
import type { Diagnostics } from '../../core/diagnostics';
import type { CorsPolicy, HTTPDirectResponse, HTTPFaultInjection, HTTPMirrorPolicy, HTTPRedirect, HTTPRetry, HTTPRewrite } from './types';

/** Istio `validateHTTPRedirect`. https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRedirect */
export function validateRedirect(d: Diagnostics, path: string, r: HTTPRedirect | undefined): void {
  if (!r) return;
  if (!r.uri && !r.authority && r.port === undefined && r.derivePort === undefined && !r.scheme) {
    d.error(path, 'redirect must specify uri, authority, scheme, port or derivePort');
  }
  if (r.redirectCode !== undefined && r.redirectCode !== 0 && (r.redirectCode < 300 || r.redirectCode > 399)) {
    d.error(`${path}.redirectCode`, `${r.redirectCode} is not a valid redirect code, must be 3xx`);
  }
  if (r.scheme && r.scheme !== 'http' && r.scheme !== 'https') d.error(`${path}.scheme`, 'invalid redirect scheme, must be "http" or "https"');
  if (r.port !== undefined && r.port > 0) d.errorIf(`${path}.port`, checkPort(r.port));
}

const KB = 1024;
const MB = 1024 * KB;

/** Istio `validateHTTPDirectResponse`: a 2xx-5xx status; bodies over 100KB warn, over 1MB fail. */
export function validateDirectResponse(d: Diagnostics, path: string, r: HTTPDirectResponse | undefined): void {
  if (!r) return;
  d.errorIf(`${path}.status`, checkHTTPStatus(r.status));
  const size = r.body?.string !== undefined ? new TextEncoder().encode(r.body.string).length : r.body?.bytes !== undefined ? Math.floor((r.body.bytes.length * 3) / 4) : 0;
  if (size > MB) d.error(`${path}.body`, 'large direct_responses may impact control plane performance, must be less than 1MB');
  else if (size > 100 * KB) d.warn(`${path}.body`, 'large direct_responses may impact control plane performance');
}

/** Istio `validateHTTPStatus` (inclusive of 600, as Istio checks it). */
export function checkHTTPStatus(status: number): string | undefined {
  return status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-600` : undefined;
}

/** Istio `validateHTTPRewrite`/`validateURIRegexRewrite`. */
export function validateRewrite(d: Diagnostics, path: string, r: HTTPRewrite | undefined): void {
  if (!r) return;
  if (r.uri && r.uriRegexRewrite) d.error(path, 'rewrite may only contain one of uri or uriRegexRewrite');
  else if (!r.uri && !r.uriRegexRewrite && !r.authority) d.error(path, 'rewrite must specify at least one of uri, uriRegexRewrite or authority');
  const rr = r.uriRegexRewrite;
  if (rr) {
    if (!rr.match || rr.rewrite === undefined || rr.rewrite === '') d.error(`${path}.uriRegexRewrite`, 'uriRegexRewrite requires both match and rewrite');
    if (rr.match) d.errorIf(`${path}.uriRegexRewrite.match`, checkRE2(rr.match));
  }
}

/** Envoy retry policies: https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on */
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

/** Status codes with a standard reason phrase (Go's `http.StatusText`), which retryOn accepts. */
const KNOWN_STATUS = /^(?:10[0-3]|20[0-8]|226|30[0-5]|30[78]|4(?:0\d|1[0-8]|2[1-689]|31|51)|50[0-8]|51[01])$/;

/** Istio `validateHTTPRetry`. https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry */
export function validateRetry(d: Diagnostics, path: string, r: HTTPRetry | undefined): void {
  if (!r) return;
  const attempts = r.attempts ?? 0;
  if (attempts < 0) d.error(`${path}.attempts`, 'attempts cannot be negative');
  if (attempts === 0 && (r.perTryTimeout !== undefined || r.retryOn || r.retryRemoteLocalities !== undefined)) {
    d.error(path, 'http retry policy configured when attempts are set to 0 (disabled)');
  }
  if (r.perTryTimeout !== undefined) d.errorIf(`${path}.perTryTimeout`, checkDuration(r.perTryTimeout));
  if (r.backoff !== undefined) d.errorIf(`${path}.backoff`, checkDuration(r.backoff));
  if (r.retryOn) {
    for (const policy of r.retryOn.split(',')) {
      if (!RETRY_ON.has(policy) && !KNOWN_STATUS.test(policy)) d.error(`${path}.retryOn`, `${JSON.stringify(policy)} is not a valid retryOn policy`);
    }
  }
}

const GRPC_STATUS = new Set([
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
]);

/**
 * Istio `validateHTTPFaultInjection`: a delay and/or an abort; percentages in [0, 100]; abort codes
 * are HTTP statuses or gRPC status names; HTTP/2 errors and exponential delays are not supported.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export function validateFault(d: Diagnostics, path: string, f: HTTPFaultInjection | undefined): void {
  if (!f) return;
  if (!f.abort && !f.delay) d.error(path, 'HTTP fault injection must have an abort and/or a delay');
  const a = f.abort;
  if (a) {
    d.errorIf(`${path}.abort.percentage.value`, checkPercentage(a.percentage?.value));
    if (a.percent !== undefined) {
      d.errorIf(`${path}.abort.percent`, checkIntPercent(a.percent));
      d.warn(`${path}.abort.percent`, 'using deprecated setting "percent", use "percentage" instead');
    }
    if (a.grpcStatus !== undefined && !GRPC_STATUS.has(a.grpcStatus)) {
      d.error(`${path}.abort.grpcStatus`, `gRPC status ${JSON.stringify(a.grpcStatus)} is not supported; use a name such as NOT_FOUND or UNAVAILABLE (https://github.com/grpc/grpc/blob/master/doc/statuscodes.md)`);
    } else if (a.http2Error !== undefined) d.error(`${path}.abort.http2Error`, 'HTTP/2 abort fault injection not supported yet');
    else if (a.httpStatus !== undefined) d.errorIf(`${path}.abort.httpStatus`, checkHTTPStatus(a.httpStatus));
    else if (a.grpcStatus === undefined) d.warn(`${path}.abort`, 'abort configured, but error type not set');
  }
  const delay = f.delay;
  if (delay) {
    d.errorIf(`${path}.delay.percentage.value`, checkPercentage(delay.percentage?.value));
    if (delay.percent !== undefined) {
      d.errorIf(`${path}.delay.percent`, checkIntPercent(delay.percent));
      d.warn(`${path}.delay.percent`, 'using deprecated setting "percent", use "percentage" instead');
    }
    if (delay.fixedDelay !== undefined) d.errorIf(`${path}.delay.fixedDelay`, checkDuration(delay.fixedDelay));
    if (delay.exponentialDelay !== undefined) d.error(`${path}.delay.exponentialDelay`, 'exponentialDelay not supported yet');
  }
}

const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);

/** Istio `validateCORSPolicy`. https://istio.io/latest/docs/reference/config/networking/virtual-service/#CorsPolicy */
export function validateCors(d: Diagnostics, path: string, c: CorsPolicy | undefined): void {
  if (!c) return;
  (c.allowOrigins ?? []).forEach((o, i) => {
    const at = `${path}.allowOrigins[${i}]`;
    if (!(o.exact || o.prefix || o.regex)) d.error(at, 'allowOrigins entries must set a non-empty exact, prefix or regex');
    else validateStringMatchRegex(d, at, o);
  });
  if (c.allowOrigin?.length) d.warn(`${path}.allowOrigin`, 'using deprecated setting "allowOrigin", use "allowOrigins" instead');
  (c.allowMethods ?? []).forEach((m, i) => {
    if (!CORS_METHODS.has(m)) d.error(`${path}.allowMethods[${i}]`, `${JSON.stringify(m)} is not a supported HTTP method`);
  });
  (c.allowHeaders ?? []).forEach((h, i) => d.errorIf(`${path}.allowHeaders[${i}]`, checkCorsHeaderName(h)));
  (c.exposeHeaders ?? []).forEach((h, i) => d.errorIf(`${path}.exposeHeaders[${i}]`, checkCorsHeaderName(h)));
  if (c.maxAge !== undefined) {
    const err = checkDuration(c.maxAge);
    const ms = parseDuration(c.maxAge) ?? 0;
    d.errorIf(`${path}.maxAge`, err ?? (ms % 1000 !== 0 ? 'max_age duration is accurate only to seconds precision' : undefined));
  }
}

/** Istio `validateHTTPMirrors` and the `mirrorPercent`/`mirrorPercentage` checks. */
export function validateMirrors(d: Diagnostics, path: string, mirrors: readonly HTTPMirrorPolicy[] | undefined): void {
  (mirrors ?? []).forEach((m, i) => {
    const at = `${path}[${i}]`;
    validateDestination(d, `${at}.destination`, m.destination);
    const v = m.percentage?.value;
    if (v !== undefined && (v < 0 || v > 100)) d.error(`${at}.percentage.value`, `mirror percentage must be in range 0..100 (it has ${v})`);
  });
}
