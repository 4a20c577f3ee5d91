import type { LabelSelector } from '../../common/messages/workload-selector';

/**
 * PeerAuthentication (`security.istio.io`): the mutual TLS mode a workload's inbound traffic must
 * use. Mesh-wide in the root namespace, namespace-wide without selector, or per workload.
 * https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export type MutualTLSMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthenticationMutualTLS {
  /** UNSET inherits from the parent scope (workload -> namespace -> mesh; default PERMISSIVE). */
  mode?: MutualTLSMode;
}

export interface PeerAuthenticationSpec {
  selector?: LabelSelector;
  mtls?: PeerAuthenticationMutualTLS;
  /** Container (target) port number -> mode; only with a selector. Keys are decimal strings in YAML/JSON. */
  portLevelMtls?: Record<string, PeerAuthenticationMutualTLS>;
}
