import type * as xds from '@mizzen/xds-types';
import type { HashPolicy, MirrorPolicy } from '../model';
import { type Issues, at } from './issues';
import { compileRe2, durationMs } from './primitives';

const DENOMINATORS: Record<xds.DenominatorType, number> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** A FractionalPercent as a fraction in [0, 1]. */
export function fractionOf(p: xds.FractionalPercent | undefined): number {
  if (!p) return 0;
  return Math.min(1, (p.numerator ?? 0) / DENOMINATORS[p.denominator ?? 'HUNDRED']);
}

/** RE2 substitutions use `\1`; JS replacement strings use `$1` (and `$` must be escaped). */
function jsSubstitution(s: string): string {
  return s.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

function one(h: xds.HashPolicy, path: string, issues: Issues): HashPolicy | undefined {
  const terminal = h.terminal ?? false;
  const set = (['header', 'cookie', 'connectionProperties', 'queryParameter', 'filterState'] as const).filter((k) => h[k] !== undefined);
  if (set.length !== 1) {
    issues.error(path, 'exactly one of header, cookie, connectionProperties, queryParameter, filterState is required');
    return undefined;
  }
  if (h.header) {
    if (!h.header.headerName) issues.error(at(path, 'header.headerName'), 'is required');
    const rr = h.header.regexRewrite;
    const regex = rr ? compileRe2(rr.pattern?.regex ?? '', at(path, 'header.regexRewrite.pattern.regex'), issues, false) : undefined;
    const rewrite = rr && regex ? { regex, substitution: jsSubstitution(rr.substitution ?? '') } : undefined;
    return { kind: 'header', name: h.header.headerName.toLowerCase(), rewrite, terminal };
  }
  if (h.cookie) {
    if (!h.cookie.name) issues.error(at(path, 'cookie.name'), 'is required');
    const ttlMs = h.cookie.ttl ? durationMs(h.cookie.ttl, at(path, 'cookie.ttl'), issues, 0) : undefined;
    return { kind: 'cookie', name: h.cookie.name, ttlMs, path: h.cookie.path || undefined, terminal };
  }
  if (h.connectionProperties) return h.connectionProperties.sourceIp ? { kind: 'source-ip', terminal } : undefined;
  if (h.queryParameter) {
    if (!h.queryParameter.name) issues.error(at(path, 'queryParameter.name'), 'is required');
    return { kind: 'query', name: h.queryParameter.name, terminal };
  }
  issues.error(at(path, 'filterState'), 'filter state hashing is not supported');
  return undefined;
}

/**
 * RouteAction.hash_policy: header (with optional regex rewrite), cookie (name, ttl, path),
 * connection_properties.source_ip, query_parameter; `terminal` honoured.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction-hashpolicy
 */
export function hashPolicies(list: readonly xds.HashPolicy[] | undefined, path: string, issues: Issues): HashPolicy[] {
  const out: HashPolicy[] = [];
  (list ?? []).forEach((h, i) => {
    const p = one(h, at(at(path, 'hashPolicy'), i), issues);
    if (p) out.push(p);
  });
  return out;
}

/**
 * request_mirror_policies: cluster plus runtime_fraction.default_value (all requests when absent).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction-requestmirrorpolicy
 */
export function mirrorPolicies(list: readonly xds.RequestMirrorPolicy[] | undefined, path: string, issues: Issues): MirrorPolicy[] {
  return (list ?? []).map((m, i) => {
    const p = at(at(path, 'requestMirrorPolicies'), i);
    if (!m.cluster) issues.error(at(p, 'cluster'), 'cluster name is required');
    if (m.runtimeFraction?.runtimeKey) issues.warn(at(p, 'runtimeFraction.runtimeKey'), 'runtime keys are not supported; the default value applies');
    return { cluster: m.cluster, fraction: m.runtimeFraction ? fractionOf(m.runtimeFraction.defaultValue) : 1 };
  });
}
