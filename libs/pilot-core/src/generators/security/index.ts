/**
 * security.istio.io -> Envoy: pure generators of the HTTP filters that enforce PeerAuthentication,
 * RequestAuthentication and AuthorizationPolicy, not wired into listeners yet (the proxy does not
 * enforce them; docs/security.md).
 */
import type { ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { authorizationPoliciesFor, type AuthzOptions, customAuthzFilters, httpRbacFilters } from './authz-filters';
import type { SecurityHttpFilter } from './envoy-types';
import { jwtAuthnFilter } from './jwt-authn';

export * from './envoy-types';
export { authorizationPoliciesFor, customAuthzFilters, DRY_RUN_ANNOTATION, httpRbacFilters, rbacPolicies, rbacPolicyName, type AuthzOptions } from './authz-filters';
export { extAuthzFilter, type ExtAuthzProvider } from './ext-authz';
export { grpcServerRbacFilters } from './grpc-rbac';
export { jwksCluster, jwtAuthnFilter, REJECT_ALL_JWKS } from './jwt-authn';
export { peerAuthnModeFor, type EffectiveMTLSMode } from './peer-authn';
export { policiesForWorkload } from './policy-selection';
export { rulePolicy } from './rbac-policy';

/**
 * Every security HTTP filter of a workload's inbound HTTP connection manager, in Istio's order
 * (listener_builder: CUSTOM authz, then authn, then authz): [CUSTOM shadow RBAC, ext_authz],
 * jwt_authn, AUDIT RBAC, DENY RBAC, ALLOW RBAC. They go before the router filter.
 */
export function inboundSecurityHttpFilters(snapshot: MeshSnapshot, proxy: ProxyNode, opts: AuthzOptions = {}): SecurityHttpFilter[] {
  const jwt = jwtAuthnFilter(snapshot, proxy);
  return [...customAuthzFilters(authorizationPoliciesFor(snapshot, proxy).CUSTOM, opts), ...(jwt ? [jwt] : []), ...httpRbacFilters(snapshot, proxy)];
}
