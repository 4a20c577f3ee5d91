import type { HTTPMatchRequest } from '@mizzen/config-api';
import type { HeaderMatcher, QueryParameterMatcher, RouteMatch } from '@mizzen/xds-types';
import { toHeaderMatcher, toStringMatcher } from './string-match';

/**
 * Istio HTTPMatchRequest -> Envoy RouteMatch. `uri` selects the path specifier; method, authority
 * and scheme become pseudo-header matchers, as Istio's route translation does
 * (pilot/pkg/networking/core/route/route.go, TranslateRouteMatch).
 */
export function toRouteMatch(m: HTTPMatchRequest | undefined): RouteMatch {
  const match: RouteMatch = pathSpecifier(m);
  if (!m) return match;
  if (m.ignoreUriCase) match.caseSensitive = { value: false };
  const headers: HeaderMatcher[] = [];
  for (const [name, sm] of sortedEntries(m.headers)) headers.push(toHeaderMatcher(name.toLowerCase(), sm));
  for (const [name, sm] of sortedEntries(m.withoutHeaders)) headers.push(toHeaderMatcher(name.toLowerCase(), sm, true));
  if (m.method) headers.push(toHeaderMatcher(':method', m.method));
  if (m.authority) headers.push(toHeaderMatcher(':authority', m.authority));
  if (m.scheme) headers.push(toHeaderMatcher(':scheme', m.scheme));
  if (headers.length) match.headers = headers;
  const qps: QueryParameterMatcher[] = [];
  for (const [name, sm] of sortedEntries(m.queryParams)) {
    const sm2 = toStringMatcher(sm);
    qps.push(sm2 ? { name, stringMatch: sm2 } : { name, presentMatch: true });
  }
  if (qps.length) match.queryParameters = qps;
  return match;
}

function pathSpecifier(m: HTTPMatchRequest | undefined): RouteMatch {
  const uri = m?.uri;
  if (uri?.exact !== undefined) return { path: uri.exact };
  if (uri?.regex !== undefined) return { safeRegex: { regex: uri.regex } };
  if (uri?.prefix !== undefined) return { prefix: uri.prefix };
  return { prefix: '/' };
}

function sortedEntries<V>(o: Readonly<Record<string, V>> | undefined): [string, V][] {
  return o ? Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
}
