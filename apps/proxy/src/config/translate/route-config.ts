import type * as xds from '@mizzen/xds-types';
import type { HeaderMatcher, MirrorPolicy, PathMatch, QueryParameterMatcher, Route, RouteAction, RouteConfig, RouteMatch, RetryPolicy, VirtualHost } from '../model';
import { mirrorPolicies } from './hash-policy';
import { type Issues, at } from './issues';
import { compileRe2, headerMatcher, headerMutations, stringMatcher } from './primitives';
import { perFilterConfigs } from './per-filter';
import { directResponse, forwardAction, redirectAction } from './route-action';
import { retryPolicy } from './retry-policy';

function pathMatch(m: xds.RouteMatch, path: string, issues: Issues): PathMatch | undefined {
  const set = (['prefix', 'path', 'safeRegex', 'pathSeparatedPrefix'] as const).filter((k) => m[k] !== undefined);
  if (set.length !== 1) {
    issues.error(path, set.length ? `only one of ${set.join(', ')} may be set` : 'one of prefix, path, safeRegex, pathSeparatedPrefix is required');
    return undefined;
  }
  const caseSensitive = m.caseSensitive?.value ?? true;
  if (m.safeRegex) {
    const regex = compileRe2(m.safeRegex.regex, at(path, 'safeRegex.regex'), issues);
    return regex && { kind: 'regex', regex };
  }
  if (m.pathSeparatedPrefix !== undefined) {
    const v = m.pathSeparatedPrefix;
    if (!v.startsWith('/') || v.endsWith('/') || /[?#]/.test(v)) issues.error(at(path, 'pathSeparatedPrefix'), 'must start with "/", not end with "/" and have no query or fragment');
    return { kind: 'separated-prefix', value: v, caseSensitive };
  }
  if (m.path !== undefined) return { kind: 'exact', value: m.path, caseSensitive };
  return { kind: 'prefix', value: m.prefix ?? '', caseSensitive };
}

/** RouteMatch; `grpc: {}` becomes a `content-type: application/grpc*` header match, as in Envoy. */
function routeMatch(m: xds.RouteMatch, path: string, issues: Issues): RouteMatch | undefined {
  if (m.runtimeFraction) issues.error(at(path, 'runtimeFraction'), 'runtime fractions are not supported');
  const p = pathMatch(m, path, issues);
  const headers: HeaderMatcher[] = [];
  (m.headers ?? []).forEach((h, i) => {
    const v = headerMatcher(h, at(at(path, 'headers'), i), issues);
    if (v) headers.push(v);
  });
  if (m.grpc) headers.push({ name: 'content-type', match: { kind: 'string', matcher: { kind: 'prefix', value: 'application/grpc', ignoreCase: false } }, invert: false, treatMissingAsEmpty: false });
  const query: QueryParameterMatcher[] = [];
  (m.queryParameters ?? []).forEach((q, i) => {
    const qp = at(at(path, 'queryParameters'), i);
    if (!q.name) issues.error(at(qp, 'name'), 'query parameter name is required');
    const matcher = q.stringMatch ? stringMatcher(q.stringMatch, at(qp, 'stringMatch'), issues) : undefined;
    query.push({ name: q.name, matcher });
  });
  return p && { path: p, headers, query };
}

/** Virtual-host level settings a route inherits. */
interface VhostDefaults {
  retry?: RetryPolicy;
  mirrors: readonly MirrorPolicy[];
}

function route(r: xds.Route, path: string, issues: Issues, vh: VhostDefaults): Route | undefined {
  const match = r.match ? routeMatch(r.match, at(path, 'match'), issues) : undefined;
  if (!r.match) issues.error(at(path, 'match'), 'match is required');
  const actions = [r.route, r.redirect, r.directResponse].filter((a) => a !== undefined);
  let action: RouteAction | undefined;
  if (actions.length !== 1) issues.error(path, 'exactly one of route, redirect, directResponse is required');
  else if (r.route) action = forwardAction(r.route, match?.path, at(path, 'route'), issues, vh.retry, vh.mirrors);
  else if (r.redirect) action = redirectAction(r.redirect, at(path, 'redirect'), issues);
  else if (r.directResponse) action = directResponse(r.directResponse, at(path, 'directResponse'), issues);
  const headers = headerMutations(r, path, issues);
  const { fault, cors } = perFilterConfigs(r.typedPerFilterConfig, path, issues);
  return match && action && { name: r.name || undefined, match, action, headers, fault, cors };
}

/** A domain is `*`, an exact host[:port], `*suffix` or `prefix*` (one wildcard at one end). */
function validDomain(d: string): boolean {
  if (d === '*') return true;
  const stars = d.split('*').length - 1;
  return d.length > 0 && (stars === 0 || (stars === 1 && (d.startsWith('*') || d.endsWith('*'))));
}

function virtualHost(v: xds.VirtualHost, path: string, issues: Issues, seen: Map<string, string>): VirtualHost | undefined {
  if (!v.name) issues.error(at(path, 'name'), 'virtual host name is required');
  if (!v.domains?.length) issues.error(at(path, 'domains'), 'at least one domain is required');
  const domains = (v.domains ?? []).map((d) => d.toLowerCase());
  domains.forEach((d, i) => {
    const dp = at(at(path, 'domains'), i);
    if (!validDomain(d)) issues.error(dp, `invalid domain "${d}"`);
    const other = seen.get(d);
    if (other !== undefined) issues.error(dp, `domain "${d}" is also in virtual host "${other}"; domains must be unique`);
    seen.set(d, v.name);
  });
  const retry = v.retryPolicy ? retryPolicy(v.retryPolicy, at(path, 'retryPolicy'), issues) : undefined;
  const mirrors = mirrorPolicies(v.requestMirrorPolicies, path, issues);
  const routes: Route[] = [];
  (v.routes ?? []).forEach((r, i) => {
    const rt = route(r, at(at(path, 'routes'), i), issues, { retry, mirrors });
    if (rt) routes.push(rt);
  });
  const { fault, cors } = perFilterConfigs(v.typedPerFilterConfig, path, issues);
  const requireTls = v.requireTls === 'ALL' ? 'all' : v.requireTls === 'EXTERNAL_ONLY' ? 'external-only' : undefined;
  return { name: v.name, domains, routes, headers: headerMutations(v, path, issues), retry, fault, cors, requireTls };
}

/**
 * RouteConfiguration (RDS, or inline in an HttpConnectionManager at `path`).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route.proto
 */
export function routeConfig(rc: xds.RouteConfiguration, path: string, issues: Issues): RouteConfig {
  const seen = new Map<string, string>();
  const virtualHosts: VirtualHost[] = [];
  (rc.virtualHosts ?? []).forEach((v, i) => {
    const vh = virtualHost(v, at(path, `virtualHosts[${i}]`), issues, seen);
    if (vh) virtualHosts.push(vh);
  });
  return { name: rc.name ?? '', virtualHosts, headers: headerMutations(rc, path, issues), ignorePortInHostMatching: rc.ignorePortInHostMatching ?? false };
}
