import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { hcm, staticCluster } from './xds-builders';

/** Listener, filter chain and cluster shapes for protocol tests, as Pilot sends them (Envoy v3). */

export function tcpProxyFilter(statPrefix: string, target: string | Array<[string, number]>, extra: Partial<xds.TcpProxy> = {}): xds.Filter {
  const body: xds.TcpProxy = typeof target === 'string' ? { statPrefix, cluster: target, ...extra } : { statPrefix, weightedClusters: { clusters: target.map(([name, weight]) => ({ name, weight })) }, ...extra };
  return { name: FilterName.TcpProxy, typedConfig: toAny(TypeUrl.TcpProxy, body) };
}

/** Sidecar outbound TCP: `outbound_tcp_<port>` at `<ip>:<port>`, one tcp_proxy chain. */
export function tcpListener(name: string, ip: string, port: number, target: string | Array<[string, number]>, extra: Partial<xds.TcpProxy> = {}): xds.Listener {
  return { name, address: { socketAddress: { address: ip, portValue: port } }, filterChains: [{ filters: [tcpProxyFilter(name, target, extra)] }] };
}

export const tlsInspector: xds.ListenerFilter = { name: FilterName.TlsInspector, typedConfig: toAny(TypeUrl.TlsInspector, {}) };

/** TLS passthrough by SNI: tls_inspector, one chain per host set to a tcp_proxy. */
export function sniListener(name: string, ip: string, port: number, routes: Array<[string[], string]>): xds.Listener {
  return {
    name,
    address: { socketAddress: { address: ip, portValue: port } },
    listenerFilters: [tlsInspector],
    filterChains: routes.map(([serverNames, cluster]) => ({ filterChainMatch: { serverNames }, filters: [tcpProxyFilter(`${name}_${cluster}`, cluster)] })),
  };
}

export function downstreamTls(certFile: string, keyFile: string, alpn: string[] = ['h2', 'http/1.1'], extra: Partial<xds.DownstreamTlsContext> = {}): xds.TransportSocket {
  const ctx: xds.DownstreamTlsContext = { commonTlsContext: { tlsCertificates: [{ certificateChain: { filename: certFile }, privateKey: { filename: keyFile } }], alpnProtocols: alpn }, ...extra };
  return { name: FilterName.Tls, typedConfig: toAny(TypeUrl.DownstreamTlsContext, ctx) };
}

/** Gateway HTTPS (SIMPLE): TLS terminated from certificate files, then an HCM on RDS. */
export function httpsListener(name: string, ip: string, port: number, rds: string, certFile: string, keyFile: string, serverNames?: string[]): xds.Listener {
  return {
    name,
    address: { socketAddress: { address: ip, portValue: port } },
    listenerFilters: [tlsInspector],
    filterChains: [{ filterChainMatch: serverNames ? { serverNames } : undefined, transportSocket: downstreamTls(certFile, keyFile), filters: [{ name: FilterName.HttpConnectionManager, typedConfig: hcm(name, { rds }) }] }],
  };
}

/** Adds Pilot's HCM extras (codec AUTO, websocket upgrades) to a listener's HCMs. */
export function withIstioHcm(l: xds.Listener, upgrades: xds.UpgradeConfig[] = [{ upgradeType: 'websocket' }]): xds.Listener {
  for (const c of l.filterChains ?? []) {
    for (const f of c.filters) {
      if (f.typedConfig?.['@type'] === TypeUrl.HttpConnectionManager) Object.assign(f.typedConfig, { codecType: 'AUTO', upgradeConfigs: upgrades });
    }
  }
  return l;
}

/** A STATIC cluster spoken to over HTTP/2 (h2c): Istio's typed protocol options, or the deprecated field. */
export function h2Cluster(name: string, endpoints: Array<[string, number]>, form: 'typed' | 'deprecated' = 'typed', extra: Partial<xds.Cluster> = {}): xds.Cluster {
  const opts: Partial<xds.Cluster> =
    form === 'typed'
      ? { typedExtensionProtocolOptions: { [FilterName.HttpProtocolOptions]: toAny(TypeUrl.HttpProtocolOptions, { explicitHttpConfig: { http2ProtocolOptions: {} } }) } }
      : { http2ProtocolOptions: {} };
  return staticCluster(name, endpoints, { ...opts, ...extra });
}
