import type { AuthorizationPolicy } from '@mizzen/config-api';
import type { ProxyNode } from '@mizzen/mesh-model';
import { FilterName, TypeUrl } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { authorizationPoliciesFor, rbacConfig, rbacPolicies } from './authz-filters';
import type { NetworkRbacFilter, RbacAction } from './envoy-types';

/** Istio `RBACTCPFilterStatPrefix`. */
export const TCP_RBAC_STAT_PREFIX = 'tcp.';

function networkFilter(policies: readonly AuthorizationPolicy[], action: RbacAction): NetworkRbacFilter[] {
  if (policies.length === 0) return [];
  return [{ name: FilterName.NetworkRbac, typedConfig: { '@type': TypeUrl.NetworkRBAC, statPrefix: TCP_RBAC_STAT_PREFIX, ...rbacConfig(policies, action, true) } }];
}

/**
 * The network RBAC filters of a workload's inbound TCP filter chains, before tcp_proxy (Istio
 * authz builder `buildTCP`): AUDIT (action LOG), DENY, ALLOW, `statPrefix: tcp.`, rules generated
 * for TCP (HTTP-only attributes drop an ALLOW rule and are ignored in a DENY rule, see
 * rulePolicy). An ALLOW filter left without policies refuses every connection, as in Istio.
 *
 * CUSTOM: Mizzen generates no network ext_authz filter, so the CUSTOM rules (TCP view) become a
 * DENY filter first: a connection the external authorizer would have been asked about is refused
 * (fail closed), never let through unchecked.
 */
export function networkRbacFilters(snapshot: MeshSnapshot, proxy: ProxyNode): NetworkRbacFilter[] {
  const p = authorizationPoliciesFor(snapshot, proxy);
  const custom: NetworkRbacFilter[] = p.CUSTOM.length
    ? [{ name: FilterName.NetworkRbac, typedConfig: { '@type': TypeUrl.NetworkRBAC, statPrefix: TCP_RBAC_STAT_PREFIX, rules: { action: 'DENY', policies: rbacPolicies(p.CUSTOM, 'DENY', true, true) } } }]
    : [];
  return [...custom, ...networkFilter(p.AUDIT, 'LOG'), ...networkFilter(p.DENY, 'DENY'), ...networkFilter(p.ALLOW, 'ALLOW')];
}
