import type { HTTPRoute, HTTPRedirect } from '@mizzen/config-api';
import type { RedirectAction, Route } from '@mizzen/xds-types';
import type { RouteContext } from './destination';
import { CORS_FILTER, toCorsConfig } from './cors';
import { FAULT_FILTER, toFaultConfig } from './fault';
import { toHeaderOps } from './headers';
import { toRouteAction } from './route-action';
import { toRouteMatch } from './route-match';

/**
 * One Istio HTTPRoute -> Envoy routes, one per `match` entry (an absent match list is a
 * catch-all). `acceptMatch` filters match entries by port/gateway as the caller requires.
 */
export function toEnvoyRoutes(r: HTTPRoute, ctx: RouteContext, acceptMatch: (m: NonNullable<HTTPRoute['match']>[number]) => boolean): Route[] {
  const matches = r.match && r.match.length ? r.match.filter(acceptMatch) : [undefined];
  if (r.match && r.match.length && matches.length === 0) return [];
  const common = commonRouteFields(r, ctx);
  return matches.map((m, i) => ({
    ...(r.name || m?.name ? { name: [r.name, m?.name].filter(Boolean).join('.') || `route-${i}` } : {}),
    match: toRouteMatch(m),
    ...common,
  }));
}

function commonRouteFields(r: HTTPRoute, ctx: RouteContext): Omit<Route, 'match' | 'name'> {
  const out: Omit<Route, 'match' | 'name'> = { ...toHeaderOps(r.headers) };
  if (r.redirect) out.redirect = toRedirect(r.redirect);
  else if (r.directResponse) {
    out.directResponse = { status: r.directResponse.status, ...(r.directResponse.body?.string !== undefined ? { body: { inlineString: r.directResponse.body.string } } : {}) };
  } else out.route = toRouteAction(r, ctx);
  const perFilter: NonNullable<Route['typedPerFilterConfig']> = {};
  const fault = toFaultConfig(r.fault);
  if (fault) perFilter[FAULT_FILTER] = fault;
  const cors = toCorsConfig(r.corsPolicy);
  if (cors) perFilter[CORS_FILTER] = cors;
  if (Object.keys(perFilter).length) out.typedPerFilterConfig = perFilter;
  return out;
}

const REDIRECT_CODES: Record<number, RedirectAction['responseCode']> = {
  301: 'MOVED_PERMANENTLY', 302: 'FOUND', 303: 'SEE_OTHER', 307: 'TEMPORARY_REDIRECT', 308: 'PERMANENT_REDIRECT',
};

function toRedirect(r: HTTPRedirect): RedirectAction {
  const out: RedirectAction = {};
  if (r.uri !== undefined) out.pathRedirect = r.uri;
  if (r.authority !== undefined) out.hostRedirect = r.authority;
  if (r.port !== undefined) out.portRedirect = r.port;
  if (r.scheme !== undefined) out.schemeRedirect = r.scheme;
  if (r.redirectCode !== undefined) out.responseCode = REDIRECT_CODES[r.redirectCode] ?? 'MOVED_PERMANENTLY';
  return out;
}
