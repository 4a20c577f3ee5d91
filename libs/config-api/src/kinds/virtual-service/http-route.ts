import { isDNS1123Label, isDNS1123Subdomain } from '../../common/checks/dns';
import { checkDuration } from '../../common/duration';
import { validateDestination } from '../../common/validate/destination';
import type { Diagnostics } from '../../core/diagnostics';
import { validateAuthorityRewrite, validateHeaderOperations } from './headers';
import { validateHTTPMatch } from './http-match';
import { validateCors, validateDirectResponse, validateFault, validateMirrors, validateRedirect, validateRetry, validateRewrite } from './http-policies';
import type { Delegate, HTTPRoute, HTTPRouteDestination } from './types';

/** How a route relates to delegation: a root route delegates, a delegate route lives in a host-less VirtualService. */
export type HTTPRouteRole = 'independent' | 'root' | 'delegate';

/**
 * Istio `validateHTTPRoute` for `spec.http[i]`.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export function validateHTTPRoute(d: Diagnostics, path: string, http: HTTPRoute, inDelegateService: boolean): void {
  const role: HTTPRouteRole = inDelegateService ? 'delegate' : http.delegate ? 'root' : 'independent';
  validateRouteAction(d, path, http, role);
  (http.match ?? []).forEach((m, i) => validateHTTPMatch(d, `${path}.match[${i}]`, m));
  validateHeaderOperations(d, `${path}.headers`, http.headers);
  validateCors(d, `${path}.corsPolicy`, http.corsPolicy);
  validateFault(d, `${path}.fault`, http.fault);
  if (http.mirrorPercent !== undefined) {
    if (http.mirrorPercent > 100) d.error(`${path}.mirrorPercent`, `mirrorPercent must have a max value of 100 (it has ${http.mirrorPercent})`);
    d.warn(`${path}.mirrorPercent`, 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead');
  }
  const mp = http.mirrorPercentage?.value;
  if (mp !== undefined && (mp < 0 || mp > 100)) d.error(`${path}.mirrorPercentage.value`, `mirrorPercentage must be in range 0..100 (it has ${mp})`);
  validateDestination(d, `${path}.mirror`, http.mirror);
  validateMirrors(d, `${path}.mirrors`, http.mirrors);
  validateRedirect(d, `${path}.redirect`, http.redirect);
  validateDirectResponse(d, `${path}.directResponse`, http.directResponse);
  validateRetry(d, `${path}.retries`, http.retries);
  validateRewrite(d, `${path}.rewrite`, http.rewrite);
  validateAuthorityRewrite(d, path, http.rewrite, http.headers);
  validateHTTPRouteDestinations(d, `${path}.route`, http.route);
  if (http.timeout !== undefined) d.errorIf(`${path}.timeout`, checkDuration(http.timeout));
}

/**
 * Istio `validateHTTPRouteConflict`: a route has exactly one action. A root route may only
 * delegate; `redirect` and `directResponse` exclude `route`, `fault` and `rewrite`; a delegate
 * VirtualService cannot delegate again; `mirror` and `mirrors` are exclusive.
 */
function validateRouteAction(d: Diagnostics, path: string, http: HTTPRoute, role: HTTPRouteRole): void {
  const hasRoute = (http.route?.length ?? 0) > 0;
  if (http.mirror && http.mirrors?.length) d.error(`${path}.mirrors`, 'HTTP route cannot contain both mirror and mirrors');
  if (role === 'root') {
    validateDelegate(d, `${path}.delegate`, http.delegate);
    if (http.redirect) d.error(`${path}.redirect`, 'a route with delegate must not specify redirect');
    if (http.route) d.error(`${path}.route`, 'a route with delegate must not specify route');
    if (http.directResponse) d.error(`${path}.directResponse`, 'a route with delegate must not specify directResponse');
    return;
  }
  if (role === 'delegate' && http.delegate) d.error(`${path}.delegate`, 'delegate HTTP route cannot contain delegate');
  const action = http.redirect ? 'redirect' : http.directResponse ? 'directResponse' : undefined;
  if (!action) {
    if (!hasRoute) d.error(path, 'HTTP route must specify one of route, redirect, directResponse or delegate');
    return;
  }
  if (http.redirect && http.directResponse) d.error(`${path}.directResponse`, 'HTTP route cannot contain both redirect and directResponse');
  if (hasRoute) d.error(`${path}.route`, `HTTP route cannot contain both route and ${action}`);
  if (http.fault) d.error(`${path}.fault`, `HTTP route cannot contain both fault and ${action}`);
  if (http.rewrite) d.error(`${path}.rewrite`, `HTTP route cannot contain both rewrite and ${action}`);
}

/** A delegate names a host-less VirtualService (`name`, optionally `namespace`; default: this one's). */
function validateDelegate(d: Diagnostics, path: string, delegate: Delegate | undefined): void {
  if (!delegate) return;
  if (!delegate.name) d.error(`${path}.name`, 'delegate name is required');
  else if (!isDNS1123Subdomain(delegate.name)) d.error(`${path}.name`, `invalid delegate name ${JSON.stringify(delegate.name)}: must be a DNS-1123 subdomain`);
  if (delegate.namespace && !isDNS1123Label(delegate.namespace)) d.error(`${path}.namespace`, `invalid delegate namespace ${JSON.stringify(delegate.namespace)}: must be a DNS-1123 label`);
}

/**
 * Istio `validateHTTPRouteDestinations`. Weights are relative: current Istio only requires each
 * weight to be non-negative and, with several destinations, a non-zero total (the old "weights must
 * sum to 100" rule was dropped; Envoy normalises the total).
 */
export function validateHTTPRouteDestinations(d: Diagnostics, path: string, routes: readonly HTTPRouteDestination[] | undefined): void {
  if (!routes) return;
  let total = 0;
  routes.forEach((r, i) => {
    const at = `${path}[${i}]`;
    validateHeaderOperations(d, `${at}.headers`, r.headers);
    validateDestination(d, `${at}.destination`, r.destination);
    const w = r.weight ?? 0;
    if (w < 0) d.error(`${at}.weight`, `weight ${w} < 0`);
    total += w;
  });
  if (routes.length > 1 && total === 0) d.error(path, 'total destination weight = 0');
}
