import { type CorsPolicy, parseDuration } from '@mizzen/config-api';
import { type Any, TypeUrl } from '@mizzen/xds-types';
import { toStringMatcher } from './string-match';

export const CORS_FILTER = 'envoy.filters.http.cors';

/**
 * VirtualService `corsPolicy` -> per-route config of Envoy's CORS filter (CorsPolicy), as Istio
 * translates it. The deprecated `allowOrigin` list means exact origins.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/cors/v3/cors.proto
 */
export function toCorsConfig(c: CorsPolicy | undefined): Any | undefined {
  if (!c) return undefined;
  const origins = [...(c.allowOrigins ?? []).map((m) => toStringMatcher(m)), ...(c.allowOrigin ?? []).map((o) => (o === '*' ? { prefix: '' } : { exact: o }))].filter((m) => m !== undefined);
  const cfg: Any & Record<string, unknown> = { '@type': TypeUrl.CorsPolicy };
  if (origins.length) cfg.allowOriginStringMatch = origins;
  if (c.allowMethods?.length) cfg.allowMethods = c.allowMethods.join(',');
  if (c.allowHeaders?.length) cfg.allowHeaders = c.allowHeaders.join(',');
  if (c.exposeHeaders?.length) cfg.exposeHeaders = c.exposeHeaders.join(',');
  if (c.maxAge) cfg.maxAge = String(Math.floor((parseDuration(c.maxAge) ?? 0) / 1000));
  if (c.allowCredentials !== undefined) cfg.allowCredentials = { value: c.allowCredentials };
  if (c.unmatchedPreflights === 'IGNORE') cfg.forwardNotMatchingPreflights = { value: false };
  return cfg;
}

