import { checkWildcardDomain } from '../../common/checks/dns';
import { validateExportTo } from '../../common/checks/export-to';
import { isJwtClaimRoute } from '../../common/checks/headers';
import { hostsMatch } from '../../common/checks/hosts';
import { isIPAddress } from '../../common/checks/ip';
import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import type { ConfigResource } from '../../core/types';
import { MESH_GATEWAY, validateGatewayNames } from './gateway-names';
import { checkGatewayBoundHost } from './hosts';
import { validateHTTPRoute } from './http-route';
import { validateTCPRoute, validateTLSRoute } from './l4-routes';
import type { VirtualServiceSpec } from './types';
import { warnUnreachableRules } from './unreachable';

/**
 * Istio's `ValidateVirtualService` webhook checks, with field paths.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export function validateVirtualService(vs: ConfigResource<'VirtualService', VirtualServiceSpec>, d: Diagnostics): void {
  const spec = vs.spec;
  const hosts = spec.hosts ?? [];
  const gateways = spec.gateways ?? [];
  const isDelegate = hosts.length === 0;
  if (isDelegate) {
    // A VirtualService without hosts can only be the target of another one's `delegate`.
    d.warn('spec.hosts', 'no hosts: this VirtualService is only used as the delegate of another VirtualService');
    if (gateways.length) d.error('spec.gateways', 'delegate virtual service (no hosts) must have no gateways specified');
    if (spec.tls?.length) d.error('spec.tls', 'delegate virtual service (no hosts) must have no tls route specified');
    if (spec.tcp?.length) d.error('spec.tcp', 'delegate virtual service (no hosts) must have no tcp route specified');
  }
  validateGatewayNames(d, 'spec.gateways', gateways);
  // Omitted gateways mean `mesh`; a list without `mesh` binds the routes to gateways only.
  const boundToGateway = gateways.length > 0 && !gateways.includes(MESH_GATEWAY);
  const boundToMesh = !boundToGateway;
  if (boundToMesh) rejectJwtClaimRoutes(d, spec);
  validateHosts(d, spec, boundToGateway, boundToMesh);

  if (!spec.http?.length && !spec.tcp?.length && !spec.tls?.length) d.error('spec', 'http, tcp or tls must be provided in virtual service');
  (spec.http ?? []).forEach((r, i) => validateHTTPRoute(d, `spec.http[${i}]`, r, isDelegate));
  (spec.tls ?? []).forEach((r, i) => validateTLSRoute(d, `spec.tls[${i}]`, r, spec, boundToGateway));
  (spec.tcp ?? []).forEach((r, i) => validateTCPRoute(d, `spec.tcp[${i}]`, r));
  validateExportTo(d, 'spec.exportTo', vs.metadata.namespace, spec.exportTo);
  warnUnreachableRules(d, 'spec.http', spec.http);
  warnUnreachableRules(d, 'spec.tls', spec.tls);
  warnUnreachableRules(d, 'spec.tcp', spec.tcp);
}

/** Hosts are (wildcard) DNS names or IPs, `*` only for gateways, and no two may overlap. */
function validateHosts(d: Diagnostics, spec: VirtualServiceSpec, boundToGateway: boolean, boundToMesh: boolean): void {
  const hosts = spec.hosts ?? [];
  const sni = (spec.tls ?? []).some((t) => t.match.some((m) => m.sniHosts.length > 0));
  let allValid = true;
  hosts.forEach((h, i) => {
    const err = boundToGateway ? checkGatewayBoundHost(h, sni) : checkWildcardDomain(h);
    if (err && !isIPAddress(h)) {
      d.error(`spec.hosts[${i}]`, err);
      allValid = false;
    } else if (!err && boundToMesh && h === '*') {
      d.error(`spec.hosts[${i}]`, 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allValid = false;
    }
  });
  if (!allValid) return;
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostsMatch(hosts[i], hosts[j])) d.error(`spec.hosts[${j}]`, `duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`);
    }
  }
}

/** JWT claim routing (`@request.auth.claims.*` header keys) only works on gateways. */
function rejectJwtClaimRoutes(d: Diagnostics, spec: VirtualServiceSpec): void {
  (spec.http ?? []).forEach((r, i) =>
    (r.match ?? []).forEach((m, j) => {
      for (const field of ['headers', 'withoutHeaders'] as const) {
        for (const key of Object.keys(m[field] ?? {})) {
          if (isJwtClaimRoute(key)) d.error(keyPath(`spec.http[${i}].match[${j}].${field}`, key), `JWT claim based routing (key: ${key}) is only supported for gateways`);
        }
      }
    }),
  );
}
