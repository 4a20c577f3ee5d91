import type * as xds from '@mizzen/xds-types';
import type { CorsPolicy, StringMatcher } from '../model';
import { fractionOf } from './hash-policy';
import { type Issues, at } from './issues';
import { stringMatcher } from './primitives';

/** The CORS filter's name as Istio and Pilot use it (keys typed_per_filter_config). */
export const CORS_FILTER = 'envoy.filters.http.cors';

/** envoy.extensions.filters.http.cors.v3.CorsPolicy (not declared in @mizzen/xds-types). */
export interface CorsPolicyBody {
  allowOriginStringMatch?: xds.StringMatcher[];
  allowMethods?: string;
  allowHeaders?: string;
  exposeHeaders?: string;
  maxAge?: string;
  allowCredentials?: xds.BoolValue;
  allowPrivateNetworkAccess?: xds.BoolValue;
  forwardNotMatchingPreflights?: xds.BoolValue;
  filterEnabled?: xds.RuntimeFractionalPercent;
  shadowEnabled?: xds.RuntimeFractionalPercent;
}

/**
 * CorsPolicy, as Istio translates a VirtualService corsPolicy: origins as StringMatchers,
 * comma-separated methods and headers, max age in seconds, credentials, filter/shadow enablement.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/cors/v3/cors.proto
 */
export function corsPolicy(c: CorsPolicyBody, path: string, issues: Issues): CorsPolicy {
  const allowOrigins: StringMatcher[] = [];
  (c.allowOriginStringMatch ?? []).forEach((m, i) => {
    const v = stringMatcher(m, at(at(path, 'allowOriginStringMatch'), i), issues);
    if (v) allowOrigins.push(v);
  });
  if (c.maxAge && !/^\d+$/.test(c.maxAge)) issues.error(at(path, 'maxAge'), `"${c.maxAge}" is not a number of seconds`);
  for (const f of ['filterEnabled', 'shadowEnabled'] as const) {
    if (c[f]?.runtimeKey) issues.warn(at(path, `${f}.runtimeKey`), 'runtime keys are not supported; the default value applies');
  }
  return {
    allowOrigins,
    allowMethods: c.allowMethods ?? '',
    allowHeaders: c.allowHeaders ?? '',
    exposeHeaders: c.exposeHeaders ?? '',
    maxAge: c.maxAge ?? '',
    allowCredentials: c.allowCredentials?.value,
    allowPrivateNetworkAccess: c.allowPrivateNetworkAccess?.value,
    forwardNotMatchingPreflights: c.forwardNotMatchingPreflights?.value,
    enabled: c.filterEnabled ? fractionOf(c.filterEnabled.defaultValue) : 1,
    shadowEnabled: c.shadowEnabled ? fractionOf(c.shadowEnabled.defaultValue) : 0,
  };
}
