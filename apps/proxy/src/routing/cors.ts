import type { CorsPolicy } from '../config/model';
import { type RequestView, headerValue } from './request-view';
import { matchString } from './string-matcher';
import type { Rng } from './weighted';

export type CorsDecision =
  /** Not a CORS request for this filter: leave request and response alone. */
  | { kind: 'none'; originValid?: boolean }
  /** A preflight the filter answers itself: 200 with these headers, nothing forwarded. */
  | { kind: 'preflight'; headers: Record<string, string>; originValid: boolean }
  /** An allowed CORS request: forward it, then set these headers on the response. */
  | { kind: 'response'; headers: Record<string, string>; originValid: true };

/** The first non-empty value of a field, most specific policy first (Envoy's CorsFilter getters). */
function field<K extends 'allowMethods' | 'allowHeaders' | 'exposeHeaders' | 'maxAge'>(ps: readonly CorsPolicy[], k: K): string {
  return ps.find((p) => p[k] !== '')?.[k] ?? '';
}

function flag(ps: readonly CorsPolicy[], k: 'allowCredentials' | 'allowPrivateNetworkAccess' | 'forwardNotMatchingPreflights', fallback: boolean): boolean {
  return ps.find((p) => p[k] !== undefined)?.[k] ?? fallback;
}

function originAllowed(ps: readonly CorsPolicy[], origin: string): boolean {
  const matchers = ps.find((p) => p.allowOrigins.length)?.allowOrigins ?? [];
  return matchers.some((m) => matchString(m, '*') || matchString(m, origin));
}

function preflightHeaders(ps: readonly CorsPolicy[], view: RequestView, origin: string, allowed: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  if (allowed) h['access-control-allow-origin'] = origin;
  if (flag(ps, 'allowCredentials', false)) h['access-control-allow-credentials'] = 'true';
  const methods = field(ps, 'allowMethods');
  if (methods) h['access-control-allow-methods'] = methods === '*' ? (headerValue(view, 'access-control-request-method') ?? '') : methods;
  const headers = field(ps, 'allowHeaders');
  if (headers) h['access-control-allow-headers'] = headers === '*' ? (headerValue(view, 'access-control-request-headers') ?? '') : headers;
  const maxAge = field(ps, 'maxAge');
  if (maxAge) h['access-control-max-age'] = maxAge;
  if (flag(ps, 'allowPrivateNetworkAccess', false) && headerValue(view, 'access-control-request-private-network') === 'true') h['access-control-allow-private-network'] = 'true';
  return h;
}

/**
 * Envoy's CORS filter for one request. `policies` are the route's and the virtual host's
 * CorsPolicy, most specific first; each field comes from the first policy that sets it, and
 * enablement from the first policy. A request with an Origin is a CORS request; an OPTIONS with
 * Access-Control-Request-Method is a preflight, answered here (unless the origin is not allowed
 * and forward_not_matching_preflights, default true, lets it through). An allowed origin gets
 * Access-Control-Allow-Origin (and credentials / expose headers) on the response.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/cors_filter
 */
export function corsFilter(policies: ReadonlyArray<CorsPolicy | undefined>, view: RequestView, rng: Rng): CorsDecision {
  const ps = policies.filter((p): p is CorsPolicy => p !== undefined);
  if (!ps.length) return { kind: 'none' };
  const enabled = rng() < ps[0].enabled;
  const shadow = rng() < ps[0].shadowEnabled;
  if (!enabled && !shadow) return { kind: 'none' };
  const origin = headerValue(view, 'origin');
  if (!origin) return { kind: 'none' };
  const allowed = originAllowed(ps, origin);
  if (!enabled) return { kind: 'none', originValid: allowed };
  const preflight = view.method === 'OPTIONS' && !!headerValue(view, 'access-control-request-method');
  if (preflight && (allowed || !flag(ps, 'forwardNotMatchingPreflights', true))) {
    return { kind: 'preflight', headers: preflightHeaders(ps, view, origin, allowed), originValid: allowed };
  }
  if (!allowed) return { kind: 'none', originValid: false };
  const h: Record<string, string> = { 'access-control-allow-origin': origin };
  if (flag(ps, 'allowCredentials', false)) h['access-control-allow-credentials'] = 'true';
  const expose = field(ps, 'exposeHeaders');
  if (expose) h['access-control-expose-headers'] = expose;
  return { kind: 'response', headers: h, originValid: true };
}
