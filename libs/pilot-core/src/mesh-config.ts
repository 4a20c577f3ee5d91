import type { ExtAuthzProvider } from './generators/security/ext-authz';

/**
 * Mesh-wide settings (Istio's MeshConfig subset Pilot needs). Passed into generation explicitly:
 * generators read no environment.
 * https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
 */
export interface MeshConfig {
  /** ALLOW_ANY: unknown hosts pass through; REGISTRY_ONLY: they get 502 (BlackHole). */
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  domainSuffix: string;
  rootNamespace: string;
  /**
   * SPIFFE trust domain of workload identities (`spiffe://<trustDomain>/ns/<ns>/sa/<sa>`): the
   * SANs auto mTLS expects of upstream certificates. Istio MeshConfig `trustDomain`.
   */
  trustDomain: string;
  /**
   * Authorizers AuthorizationPolicy `action: CUSTOM` names (Istio MeshConfig `extensionProviders`,
   * envoyExtAuthzHttp/Grpc). None by default: a CUSTOM policy then denies every request, as Istio.
   */
  extensionProviders?: readonly ExtAuthzProvider[];
  /**
   * Who fetches a RequestAuthentication `jwksUri` (Istio's `PILOT_JWT_ENABLE_REMOTE_JWKS`, a Pilot
   * flag rather than MeshConfig proper, passed in here so generators read no environment):
   * `istiod` (default, Istio's `false`) Pilot resolves the key set and inlines it (`local_jwks`);
   * `envoy` (Istio's `true`) the proxy fetches it itself (`remote_jwks`). Issuer-only rules (OpenID
   * discovery) are resolved by Pilot in both modes, as Istio does.
   */
  jwksFetchMode?: 'istiod' | 'envoy';
  /** Default retries for HTTP routes (Istio: 2 attempts). */
  defaultRetryAttempts: number;
  connectTimeoutMs: number;
}

export const DEFAULT_MESH_CONFIG: MeshConfig = {
  outboundTrafficPolicy: 'ALLOW_ANY',
  domainSuffix: 'cluster.local',
  rootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
  defaultRetryAttempts: 2,
  connectTimeoutMs: 10_000,
};
