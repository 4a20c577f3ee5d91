import type { ProxyProtocol } from '@mizzen/config-api';
import { type Cluster, FilterName, type TransportSocket, TypeUrl } from '@mizzen/xds-types';
import { RAW_BUFFER_TRANSPORT_SOCKET } from '../security/tls-context';

/** `inner` wrapped so the PROXY protocol header goes first on the connection, before any TLS bytes. */
function wrap(version: 'V1' | 'V2', inner: TransportSocket): TransportSocket {
  return {
    name: FilterName.UpstreamProxyProtocol,
    typedConfig: { '@type': TypeUrl.ProxyProtocolUpstreamTransport, config: { version }, transportSocket: inner },
  };
}

/**
 * DestinationRule `proxyProtocol` as Istio's `applyUpstreamProxyProtocol`: the cluster's
 * transport socket (plaintext when it has none and no matches) and every
 * transport_socket_matches entry are wrapped in envoy.transport_sockets.upstream_proxy_protocol.
 * Applied after the upstream TLS settings, so auto mTLS and TLS origination are wrapped too.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol.proto
 */
export function upstreamProxyProtocol(cluster: Pick<Cluster, 'transportSocket' | 'transportSocketMatches'>, pp: ProxyProtocol | undefined): Pick<Cluster, 'transportSocket' | 'transportSocketMatches'> {
  if (!pp) return {};
  const version = pp.version ?? 'V1';
  const matches = cluster.transportSocketMatches ?? [];
  if (!cluster.transportSocket && !matches.length) return { transportSocket: wrap(version, RAW_BUFFER_TRANSPORT_SOCKET) };
  return {
    ...(cluster.transportSocket ? { transportSocket: wrap(version, cluster.transportSocket) } : {}),
    ...(matches.length ? { transportSocketMatches: matches.map((m) => ({ ...m, transportSocket: wrap(version, m.transportSocket ?? RAW_BUFFER_TRANSPORT_SOCKET) })) } : {}),
  };
}
