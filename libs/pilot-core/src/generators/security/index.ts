/**
 * security.istio.io -> Envoy: pure generators of what enforces PeerAuthentication,
 * RequestAuthentication and AuthorizationPolicy (inbound mTLS transport sockets, HTTP and network
 * RBAC, jwt_authn, ext_authz) and of the upstream transport (auto mTLS, DestinationRule `tls`).
 * Wired into the sidecar inbound listeners (sidecar/inbound-listeners.ts) and every outbound
 * cluster (common/outbound-cluster.ts); docs/security.md "What Pilot generates".
 */
import type { ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { authorizationPoliciesFor, type AuthzOptions, customAuthzFilters, httpRbacFilters } from './authz-filters';
import type { SecurityHttpFilter } from './envoy-types';
import { jwtAuthnFilter } from './jwt-authn';

export * from './envoy-types';
export { authorizationPoliciesFor, customAuthzFilters, DRY_RUN_ANNOTATION, httpRbacFilters, rbacPolicies, rbacPolicyName, type AuthzOptions } from './authz-filters';
export { clientTlsTransportSocket } from './client-tls';
export { ADS_SDS_CONFIG, CREDENTIAL_RESOURCE_PREFIX, credentialResourceName, credentialSdsSecret, parseCredentialResource, SDS_CA_SUFFIX, type CredentialRef } from './credential-sds';
export { credentialSecretResources, type CredentialLookup, type CredentialMaterial, type CredentialSecretsResult } from './credential-secrets';
export { networkRbacFilters, TCP_RBAC_STAT_PREFIX } from './tcp-rbac';
export { serviceIdentities } from './service-identities';
export {
  ALPN_DOWNSTREAM_HTTP,
  ALPN_IN_MESH,
  ALPN_IN_MESH_H2,
  inboundMtlsTransportSocket,
  istioMutualTransportSocket,
  istioSni,
  RAW_BUFFER_TRANSPORT_SOCKET,
  SDS_CLUSTER,
  SDS_DEFAULT_SECRET,
  SDS_ROOT_SECRET,
  SDS_SYSTEM_ROOT_SECRET,
  sdsSecret,
  spiffeId,
} from './tls-context';
export { ISTIO_TLS_MODE_MATCH, isHttp2Cluster, upstreamTransport, type UpstreamTransport } from './upstream-tls';
export { extAuthzFilter, type ExtAuthzProvider } from './ext-authz';
export { grpcServerRbacFilters } from './grpc-rbac';
export { jwksCluster, jwtAuthnFilter, REJECT_ALL_JWKS } from './jwt-authn';
export { DEFAULT_JWKS_TIMEOUT_MS, jwksSourceOf, jwksSources, OPENID_DISCOVERY_SUFFIX, type JwksSource } from './jwks-sources';
export { peerAuthnModeFor, serviceMtlsMode, type EffectiveMTLSMode } from './peer-authn';
export { policiesForWorkload, policyAppliesTo } from './policy-selection';
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
