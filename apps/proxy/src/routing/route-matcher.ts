import type { PathMatch, Route, RouteMatch } from '../config/model';
import { type RequestView, headerValue, splitPath } from './request-view';
import { matchHeader, matchQuery } from './string-matcher';

/**
 * Path matching on the path without its query string. `prefix` / `path` honour `case_sensitive`
 * (default true); `path_separated_prefix` matches the prefix followed by `/`, `?` or the end;
 * `safe_regex` must match the whole path.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routematch
 */
export function matchPath(m: PathMatch, pathOnly: string): boolean {
  if (m.kind === 'regex') return m.regex.test(pathOnly);
  const p = m.caseSensitive ? pathOnly : pathOnly.toLowerCase();
  const want = m.caseSensitive ? m.value : m.value.toLowerCase();
  switch (m.kind) {
    case 'prefix':
      return p.startsWith(want);
    case 'exact':
      return p === want;
    case 'separated-prefix':
      return p === want || p.startsWith(`${want}/`);
  }
}

export function matchRoute(m: RouteMatch, req: RequestView): boolean {
  const { pathOnly, query } = splitPath(req.path);
  if (!matchPath(m.path, pathOnly)) return false;
  for (const h of m.headers) if (!matchHeader(h, headerValue(req, h.name))) return false;
  if (m.query.length) {
    const params = new URLSearchParams(query);
    for (const q of m.query) if (!matchQuery(q, params)) return false;
  }
  return true;
}

/** Routes are evaluated in order; the first match wins. */
export function selectRoute(routes: readonly Route[], req: RequestView): Route | undefined {
  for (const r of routes) if (matchRoute(r.match, req)) return r;
  return undefined;
}
