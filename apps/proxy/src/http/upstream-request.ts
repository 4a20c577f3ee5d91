import type { ForwardAction, HeaderMutation, Route, RouteConfig, VirtualHost, WeightedCluster } from '../config/model';
import { splitPath } from '../routing';
import { type HeaderFormatter, type HeaderMap, applyMutations } from './headers';

export interface UpstreamRequestSpec {
  method: string;
  path: string;
  headers: HeaderMap;
}

export interface RouteContext {
  config: RouteConfig;
  virtualHost: VirtualHost;
  route: Route;
}

/** Header mutation levels, most specific first (weighted cluster, route, virtual host, route config). */
export function mutationLevels(rc: RouteContext, wc: WeightedCluster, dir: 'request' | 'response'): HeaderMutation[] {
  return [wc.headers[dir], rc.route.headers[dir], rc.virtualHost.headers[dir], rc.config.headers[dir]];
}

/**
 * Applies prefix_rewrite (replacing the matched prefix, or the whole path for an exact match) or
 * regex_rewrite (on the path without its query). Returns undefined when the path is unchanged.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-field-config-route-v3-routeaction-prefix-rewrite
 */
export function rewritePath(route: Route, action: ForwardAction, path: string): string | undefined {
  const { pathOnly, query } = splitPath(path);
  if (action.prefixRewrite !== undefined && route.match.path.kind !== 'regex') {
    const matched = route.match.path.value.length;
    let rest = pathOnly.slice(matched);
    if (route.match.path.kind === 'separated-prefix' && action.prefixRewrite.endsWith('/') && rest.startsWith('/')) rest = rest.slice(1);
    return `${action.prefixRewrite}${rest}${query}`;
  }
  if (action.regexRewrite) {
    // The translator compiles the pattern unanchored with the `g` flag and the substitution in JS `$n` form.
    const { regex, substitution } = action.regexRewrite;
    return `${pathOnly.replace(regex, substitution)}${query}`;
  }
  return undefined;
}

/**
 * The request the router sends upstream: route-level header mutations, path and host rewrites,
 * `x-envoy-original-path` when the path changed, and `host` set to the (rewritten) authority.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter
 */
export function buildUpstreamRequest(
  rc: RouteContext,
  action: ForwardAction,
  wc: WeightedCluster,
  req: { method: string; path: string; authority: string; headers: HeaderMap },
  format: HeaderFormatter,
): UpstreamRequestSpec {
  const headers: HeaderMap = { ...req.headers };
  applyMutations(headers, mutationLevels(rc, wc, 'request'), format);
  const rewritten = rewritePath(rc.route, action, req.path);
  if (rewritten !== undefined && rewritten !== req.path) headers['x-envoy-original-path'] = req.path;
  headers.host = action.hostRewrite ?? req.authority;
  return { method: req.method, path: rewritten ?? req.path, headers };
}
