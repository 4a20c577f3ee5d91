import type { TrafficPolicy } from '@mizzen/config-api';
import type { Service, ServicePort } from '@mizzen/mesh-model';
import { type Cluster, FilterName } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { clientTlsTransportSocket } from './client-tls';
import { serviceMtlsMode } from './peer-authn';
import { serviceIdentities } from './service-identities';
import { istioMutualTransportSocket, istioSni, RAW_BUFFER_TRANSPORT_SOCKET } from './tls-context';

export type UpstreamTransport = Pick<Cluster, 'transportSocket' | 'transportSocketMatches'>;

/** The endpoint metadata auto mTLS matches: `{tlsMode: istio}` under envoy.transport_socket_match. */
export const ISTIO_TLS_MODE_MATCH = { tlsMode: 'istio' } as const;

/** Whether the cluster speaks HTTP/2 upstream (Istio `isHttp2Cluster`): its ALPN then offers `h2`. */
export function isHttp2Cluster(c: Cluster): boolean {
  const opts = c.typedExtensionProtocolOptions?.[FilterName.HttpProtocolOptions] as { explicitHttpConfig?: { http2ProtocolOptions?: unknown } } | undefined;
  return !!opts?.explicitHttpConfig?.http2ProtocolOptions;
}

/**
 * The upstream transport of one outbound cluster, as Istio's `buildUpstreamTLSSettings` +
 * `applyUpstreamTLSSettings`, from the effective traffic policy's `tls` (subset and port-level
 * settings already merged):
 * - `ISTIO_MUTUAL`: always mTLS with the workload certificate (`tls.subjectAltNames`, else the
 *   service's identities; `tls.sni`, else `outbound_.<port>_.<subset>_.<host>`);
 * - `SIMPLE` / `MUTUAL`: TLS origination with the DestinationRule's files, or at a gateway its
 *   `credentialName` (client-tls.ts);
 * - `DISABLE` (or a `tls` without mode, proto default): plaintext;
 * - no `tls`: auto mTLS: `transportSocketMatches` sending mTLS to endpoints whose metadata says
 *   `tlsMode: istio` (they have a sidecar) and plaintext to the others. Not for MESH_EXTERNAL
 *   services, passthrough (ORIGINAL_DST) clusters, or services whose namespace/mesh
 *   PeerAuthentication is DISABLE (Istio `BestEffortInferServiceMTLSMode`).
 * https://istio.io/latest/docs/tasks/security/authentication/authn-policy/#auto-mutual-tls
 */
export function upstreamTransport(snapshot: MeshSnapshot, svc: Service, port: ServicePort, subset: string, policy: TrafficPolicy | undefined, cluster: Cluster, gateway = false): UpstreamTransport {
  const tls = policy?.tls;
  const h2 = isHttp2Cluster(cluster);
  const sni = istioSni(port.number, subset, svc.hostname);
  if (tls) {
    switch (tls.mode) {
      case 'ISTIO_MUTUAL':
        return { transportSocket: istioMutualTransportSocket(tls.subjectAltNames ?? serviceIdentities(snapshot, svc), tls.sni || sni, h2) };
      case 'SIMPLE':
      case 'MUTUAL':
        return { transportSocket: clientTlsTransportSocket(tls, svc.hostname, h2, gateway) };
      default:
        return {};
    }
  }
  if (svc.location === 'MESH_EXTERNAL' || cluster.type === 'ORIGINAL_DST' || serviceMtlsMode(snapshot, svc) === 'DISABLE') return {};
  return {
    transportSocketMatches: [
      { name: 'tlsMode-istio', match: { ...ISTIO_TLS_MODE_MATCH }, transportSocket: istioMutualTransportSocket(serviceIdentities(snapshot, svc), sni, h2) },
      { name: 'tlsMode-disabled', match: {}, transportSocket: RAW_BUFFER_TRANSPORT_SOCKET },
    ],
  };
}
