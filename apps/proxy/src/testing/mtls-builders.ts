import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { tcpProxyFilter, tlsInspector } from './protocol-builders';
import { hcm, routeConfiguration, routeTo, vhost } from './xds-builders';

/** Istio's mTLS shapes (what istiod sends a sidecar), for tests. */

const sds = (name: string): xds.SdsSecretConfig => ({ name, sdsConfig: { ads: {}, resourceApiVersion: 'V3' } });

/** Istio's outbound ISTIO_MUTUAL transport socket: SDS `default` + `ROOTCA`, SAN exact matchers, SNI. */
export function istioUpstreamTls(sni: string, sans: string[], alpn = ['istio-peer-exchange', 'istio']): xds.TransportSocket {
  const ctx: xds.UpstreamTlsContext = {
    sni,
    commonTlsContext: {
      tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' },
      tlsCertificateSdsSecretConfigs: [sds('default')],
      combinedValidationContext: { defaultValidationContext: { matchSubjectAltNames: sans.map((exact) => ({ exact })) }, validationContextSdsSecretConfig: sds('ROOTCA') },
      alpnProtocols: alpn,
    },
  };
  return { name: FilterName.Tls, typedConfig: toAny(TypeUrl.UpstreamTlsContext, ctx) };
}

/** Istio's auto mTLS: `tlsMode: istio` endpoints get mTLS, every other endpoint plaintext (raw_buffer in a TypedStruct). */
export function autoMtlsMatches(sni: string, sans: string[]): xds.TransportSocketMatch[] {
  return [
    { name: 'tlsMode-istio', match: { tlsMode: 'istio' }, transportSocket: istioUpstreamTls(sni, sans) },
    {
      name: 'tlsMode-disabled',
      match: {},
      transportSocket: { name: 'envoy.transport_sockets.raw_buffer', typedConfig: { '@type': 'type.googleapis.com/xds.type.v3.TypedStruct', typeUrl: TypeUrl.RawBuffer, value: {} } as xds.Any },
    },
  ];
}

/** DR SIMPLE / MUTUAL to an external service: trusted CA file, optional client certificate files, SNI, SANs. */
export function simpleUpstreamTls(opts: { sni?: string; caFile?: string; sans?: xds.StringMatcher[]; certFile?: string; keyFile?: string; alpn?: string[] }): xds.TransportSocket {
  const common: xds.CommonTlsContext = { alpnProtocols: opts.alpn };
  if (opts.caFile) common.validationContext = { trustedCa: { filename: opts.caFile }, matchSubjectAltNames: opts.sans } as xds.CertificateValidationContext;
  if (opts.certFile && opts.keyFile) common.tlsCertificates = [{ certificateChain: { filename: opts.certFile }, privateKey: { filename: opts.keyFile } }];
  return { name: FilterName.Tls, typedConfig: toAny(TypeUrl.UpstreamTlsContext, { sni: opts.sni, commonTlsContext: common }) };
}

/** Istio's inbound mTLS termination: SDS `default`, client certificates against `ROOTCA`, required. */
export function istioDownstreamTls(alpn = ['h2', 'http/1.1'], sans: string[] = []): xds.TransportSocket {
  const ctx: xds.DownstreamTlsContext = {
    requireClientCertificate: { value: true },
    commonTlsContext: {
      tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' },
      tlsCertificateSdsSecretConfigs: [sds('default')],
      combinedValidationContext: { defaultValidationContext: { matchSubjectAltNames: sans.map((prefix) => ({ prefix })) }, validationContextSdsSecretConfig: sds('ROOTCA') },
      alpnProtocols: alpn,
    },
  };
  return { name: FilterName.Tls, typedConfig: toAny(TypeUrl.DownstreamTlsContext, ctx) };
}

/**
 * A sidecar inbound listener for one port as Istio builds it per PeerAuthentication mode: a
 * tls_inspector, an mTLS chain (`transportProtocol: tls`) and, in PERMISSIVE mode, a plaintext
 * chain (`raw_buffer`); both end in an HCM routing everything to `cluster` (or a TCP proxy).
 */
export function inboundListener(name: string, ip: string, port: number, mode: 'STRICT' | 'PERMISSIVE', cluster: string, kind: 'http' | 'tcp' = 'http', sans: string[] = []): xds.Listener {
  const filter = (stat: string): xds.Filter =>
    kind === 'tcp' ? tcpProxyFilter(stat, cluster) : { name: FilterName.HttpConnectionManager, typedConfig: hcm(stat, { inline: routeConfiguration(`inbound|${port}`, [vhost('inbound', ['*'], [routeTo(cluster)])]) }) };
  const chains: xds.FilterChain[] = [{ name: `${name}-mtls`, filterChainMatch: { transportProtocol: 'tls' }, transportSocket: istioDownstreamTls(kind === 'http' ? ['h2', 'http/1.1'] : [], sans), filters: [filter(`${name}-mtls`)] }];
  if (mode === 'PERMISSIVE') chains.push({ name: `${name}-plaintext`, filterChainMatch: { transportProtocol: 'raw_buffer' }, filters: [filter(`${name}-plaintext`)] });
  return { name, address: { socketAddress: { address: ip, portValue: port } }, listenerFilters: [tlsInspector], filterChains: chains };
}

/** A ClusterLoadAssignment whose endpoints may carry Istio's `tlsMode` transport socket match label. */
export function tlsModeAssignment(clusterName: string, endpoints: Array<[string, number, ('istio' | 'disabled')?]>): xds.ClusterLoadAssignment {
  return {
    clusterName,
    endpoints: [
      {
        locality: {},
        lbEndpoints: endpoints.map(([address, portValue, tlsMode]) => ({
          endpoint: { address: { socketAddress: { address, portValue } } },
          metadata: tlsMode ? { filterMetadata: { 'envoy.transport_socket_match': { tlsMode } } } : undefined,
        })),
      },
    ],
  };
}

/** A plaintext transport socket (`raw_buffer`), e.g. inside a PROXY protocol wrapper. */
export const RAW_BUFFER: xds.TransportSocket = { name: FilterName.RawBuffer, typedConfig: { '@type': TypeUrl.RawBuffer } };

/** Pilot's shape for DestinationRule `proxyProtocol` (Istio applyUpstreamProxyProtocol): `inner` wrapped in upstream_proxy_protocol. */
export function upstreamProxyProtocol(version: 'V1' | 'V2', inner: xds.TransportSocket): xds.TransportSocket {
  return { name: 'envoy.transport_sockets.upstream_proxy_protocol', typedConfig: toAny(TypeUrl.ProxyProtocolUpstreamTransport, { config: { version }, transportSocket: inner }) };
}
