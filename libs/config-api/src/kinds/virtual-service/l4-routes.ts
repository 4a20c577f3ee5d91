import { checkWildcardDomain } from '../../common/checks/dns';
import { hostSubsetOf } from '../../common/checks/hosts';
import { checkIPSubnet, isIPAddress } from '../../common/checks/ip';
import { validateLabels } from '../../common/checks/labels';
import { checkPort } from '../../common/checks/ports';
import { validateDestination } from '../../common/validate/destination';
import type { Diagnostics } from '../../core/diagnostics';
import { validateGatewayNames } from './gateway-names';
import { checkGatewayBoundHost } from './hosts';
import type { L4MatchAttributes, RouteDestination, TCPRoute, TLSMatchAttributes, TLSRoute, VirtualServiceSpec } from './types';

/** Istio `validateRouteDestinations` for TLS/TCP routes (same weight rules as HTTP). */
function validateRouteDestinations(d: Diagnostics, path: string, routes: readonly RouteDestination[] | undefined): void {
  if (!routes || routes.length === 0) {
    d.error(path, 'route is required');
    return;
  }
  let total = 0;
  routes.forEach((r, i) => {
    validateDestination(d, `${path}[${i}].destination`, r.destination);
    const w = r.weight ?? 0;
    if (w < 0) d.error(`${path}[${i}].weight`, `weight ${w} < 0`);
    total += w;
  });
  if (routes.length > 1 && total === 0) d.error(path, 'total destination weight = 0');
}

function validateL4Common(d: Diagnostics, path: string, m: L4MatchAttributes | TLSMatchAttributes): void {
  (m.destinationSubnets ?? []).forEach((s, i) => d.errorIf(`${path}.destinationSubnets[${i}]`, checkIPSubnet(s)));
  if (m.port !== undefined && m.port !== 0) d.errorIf(`${path}.port`, checkPort(m.port));
  validateLabels(d, `${path}.sourceLabels`, m.sourceLabels);
  validateGatewayNames(d, `${path}.gateways`, m.gateways);
}

/**
 * Istio `validateTLSRoute`: at least one match, each with SNI hosts that are valid and covered by
 * the VirtualService's hosts. https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSRoute
 */
export function validateTLSRoute(d: Diagnostics, path: string, tls: TLSRoute, vs: VirtualServiceSpec, boundToGateway: boolean): void {
  if (tls.match.length === 0) d.error(`${path}.match`, 'TLS route must have at least one match condition');
  tls.match.forEach((m, i) => {
    const at = `${path}.match[${i}]`;
    if (m.sniHosts.length === 0) d.error(`${at}.sniHosts`, 'TLS match must have at least one SNI host');
    m.sniHosts.forEach((sni, j) => validateSniHost(d, `${at}.sniHosts[${j}]`, sni, vs, boundToGateway));
    validateL4Common(d, at, m);
  });
  validateRouteDestinations(d, `${path}.route`, tls.route);
}

function validateSniHost(d: Diagnostics, path: string, sni: string, vs: VirtualServiceSpec, boundToGateway: boolean): void {
  const err = boundToGateway ? checkGatewayBoundHost(sni, true) : checkWildcardDomain(sni);
  if (err) {
    if (isIPAddress(sni)) d.warn(path, `using an IP address (${JSON.stringify(sni)}) goes against SNI spec and most clients do not support this`);
    else d.error(path, err);
    return;
  }
  const hosts = vs.hosts ?? [];
  if (!hosts.some((h) => hostSubsetOf(sni, h))) {
    d.error(path, `SNI host ${JSON.stringify(sni)} is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`);
  }
}

/** Istio `validateTCPRoute`. https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute */
export function validateTCPRoute(d: Diagnostics, path: string, tcp: TCPRoute): void {
  (tcp.match ?? []).forEach((m, i) => validateL4Common(d, `${path}.match[${i}]`, m));
  validateRouteDestinations(d, `${path}.route`, tcp.route);
}
