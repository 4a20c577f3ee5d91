import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { CorsPolicy, FaultConfig } from '../model';
import { CORS_FILTER, type CorsPolicyBody, corsPolicy } from './cors';
import { FAULT_FILTER, faultConfig } from './fault';
import { type Issues, at } from './issues';

export interface PerFilterConfigs {
  fault?: FaultConfig;
  cors?: CorsPolicy;
}

/**
 * A route's or virtual host's typed_per_filter_config: the fault filter's HTTPFault and the CORS
 * filter's CorsPolicy; other filters' entries are ignored with a warning.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-field-config-route-v3-route-typed-per-filter-config
 */
export function perFilterConfigs(configs: xds.TypedPerFilterConfig | undefined, path: string, issues: Issues): PerFilterConfigs {
  const out: PerFilterConfigs = {};
  for (const [name, cfg] of Object.entries(configs ?? {})) {
    const p = at(at(path, 'typedPerFilterConfig'), name);
    if (name === FAULT_FILTER && cfg['@type'] === TypeUrl.HTTPFault) out.fault = faultConfig(cfg as xds.Any & xds.HTTPFault, p, issues);
    else if (name === CORS_FILTER && cfg['@type'] === TypeUrl.CorsPolicy) out.cors = corsPolicy(cfg as xds.Any & CorsPolicyBody, p, issues);
    else issues.warn(p, `per-route config for filter "${name}" is ignored`);
  }
  return out;
}
