import {
  type Any,
  type CommonTlsContext,
  type ConfigSource,
  type DownstreamTlsContext,
  FilterName,
  type SdsSecretConfig,
  type TlsParameters,
  type TransportSocket,
  TypeUrl,
  type UpstreamTlsContext,
} from '@mizzen/xds-types';

/**
 * The TLS building blocks of Istio's mesh mTLS, in Istio's shapes
 * (pilot/pkg/security/model `ConstructSdsSecretConfig`, authn `BuildInboundTLS`,
 * networking/core cluster_tls.go). Certificates never travel in xDS: they are named SDS secrets the
 * proxy's agent serves on the bootstrap cluster `sds-grpc`.
 */

/** The bootstrap cluster of the proxy agent's SDS server (Istio `SDSClusterName`). */
export const SDS_CLUSTER = 'sds-grpc';
/** The workload's own certificate chain and key (Istio `SDSDefaultResourceName`). */
export const SDS_DEFAULT_SECRET = 'default';
/** The mesh trust bundle (Istio `SDSRootResourceName`). */
export const SDS_ROOT_SECRET = 'ROOTCA';
/** The host's system trust store, resolved by the agent (Istio's `file-root:system` resource). */
export const SDS_SYSTEM_ROOT_SECRET = 'file-root:system';

/** Istio's ALPN: `istio-peer-exchange` and `istio` mark an in-mesh mTLS connection. */
export const ALPN_IN_MESH = ['istio-peer-exchange', 'istio'] as const;
export const ALPN_IN_MESH_H2 = ['istio-peer-exchange', 'istio', 'h2'] as const;
export const ALPN_DOWNSTREAM_HTTP = ['h2', 'http/1.1'] as const;

/** Istio `SupportedCiphers` for sidecar inbound mTLS (OpenSSL names). */
export const INBOUND_CIPHER_SUITES = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-GCM-SHA256',
] as const;

const TLS_1_2_TO_1_3: TlsParameters = { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' };

/** SDS over gRPC to `sds-grpc`, as Istio's `ConstructSdsSecretConfig`. */
export function sdsSecret(name: string): SdsSecretConfig {
  const sdsConfig: ConfigSource = {
    apiConfigSource: {
      apiType: 'GRPC',
      setNodeOnFirstMessageOnly: true,
      transportApiVersion: 'V3',
      grpcServices: [{ envoyGrpc: { clusterName: SDS_CLUSTER } }],
    },
    resourceApiVersion: 'V3',
  };
  return { name, sdsConfig };
}

/**
 * The workload certificate plus validation against the mesh root (ROOTCA) and `sanMatchers`:
 * Istio `ApplyToCommonTLSContext` / the ISTIO_MUTUAL branch of `buildUpstreamClusterTLSContext`.
 */
function istioCommonTls(defaultValidationContext: NonNullable<CommonTlsContext['combinedValidationContext']>['defaultValidationContext'], alpn: readonly string[], tlsParams: TlsParameters): CommonTlsContext {
  return {
    tlsParams,
    tlsCertificateSdsSecretConfigs: [sdsSecret(SDS_DEFAULT_SECRET)],
    combinedValidationContext: { defaultValidationContext, validationContextSdsSecretConfig: sdsSecret(SDS_ROOT_SECRET) },
    ...(alpn.length ? { alpnProtocols: [...alpn] } : {}),
  };
}

export function tlsTransportSocket(ctx: (DownstreamTlsContext & { '@type': typeof TypeUrl.DownstreamTlsContext }) | (UpstreamTlsContext & { '@type': typeof TypeUrl.UpstreamTlsContext })): TransportSocket {
  return { name: FilterName.Tls, typedConfig: ctx as Any };
}

/**
 * The transport socket of an inbound mTLS filter chain (Istio `BuildInboundTLS`): the workload
 * certificate, a required client certificate chaining to ROOTCA with a SPIFFE URI SAN, TLS 1.2+,
 * ALPN h2/http1.1 on HTTP ports (none on TCP ports).
 */
export function inboundMtlsTransportSocket(http: boolean): TransportSocket {
  const common = istioCommonTls({ matchSubjectAltNames: [{ prefix: 'spiffe://' }] }, http ? ALPN_DOWNSTREAM_HTTP : [], { ...TLS_1_2_TO_1_3, cipherSuites: [...INBOUND_CIPHER_SUITES] });
  return tlsTransportSocket({ '@type': TypeUrl.DownstreamTlsContext, commonTlsContext: common, requireClientCertificate: { value: true } });
}

/**
 * ISTIO_MUTUAL upstream TLS: the workload certificate, the peer must chain to ROOTCA and present
 * one of `subjectAltNames` (exact; any mesh identity when empty), ALPN `istio-peer-exchange`,
 * `istio` (+ `h2` for HTTP/2 clusters), SNI `outbound_.<port>_.<subset>_.<host>`.
 */
export function istioMutualTransportSocket(subjectAltNames: readonly string[], sni: string, h2: boolean): TransportSocket {
  const validation = subjectAltNames.length ? { matchSubjectAltNames: subjectAltNames.map((exact) => ({ exact })) } : {};
  const common = istioCommonTls(validation, h2 ? ALPN_IN_MESH_H2 : ALPN_IN_MESH, TLS_1_2_TO_1_3);
  return tlsTransportSocket({ '@type': TypeUrl.UpstreamTlsContext, commonTlsContext: common, sni });
}

/** Plaintext, as Istio sends it: `typed_config` RawBuffer (an empty message). */
export const RAW_BUFFER_TRANSPORT_SOCKET: TransportSocket = {
  name: FilterName.RawBuffer,
  typedConfig: { '@type': TypeUrl.RawBuffer },
};

/** Istio's SNI for in-mesh mTLS (`BuildDNSSrvSubsetKey`): `outbound_.<port>_.<subset>_.<host>`. */
export function istioSni(port: number, subset: string, host: string): string {
  return `outbound_.${port}_.${subset}_.${host}`;
}

/** The SPIFFE identity of a service account. */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
