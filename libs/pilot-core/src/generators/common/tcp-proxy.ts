import type { RouteDestination } from '@mizzen/config-api';
import { type FilterChain, TypeUrl } from '@mizzen/xds-types';
import { destinationCluster, type RouteContext } from './destination';
import { tcpTunnelingConfig } from './tcp-tunnel';

export const TCP_PROXY_FILTER = 'envoy.filters.network.tcp_proxy';
export const TLS_INSPECTOR = { name: 'envoy.filters.listener.tls_inspector', typedConfig: { '@type': TypeUrl.TlsInspector } };

/**
 * A filter chain forwarding raw bytes to the destinations of an L4 (TCP or TLS) route: one cluster,
 * or weighted clusters. A single destination whose DestinationRule sets `tunnel` is tunnelled
 * over HTTP (Istio sets tunneling_config only there). https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/network_filters/tcp_proxy_filter
 */
export function tcpProxyChain(statPrefix: string, dests: readonly RouteDestination[], ctx: RouteContext, serverNames?: string[]): FilterChain {
  const total = dests.reduce((s, d) => s + (d.weight ?? 0), 0);
  const tcp =
    dests.length === 1
      ? { statPrefix, cluster: destinationCluster(dests[0].destination, ctx), ...tcpTunnelingConfig(dests[0].destination, ctx) }
      : { statPrefix, weightedClusters: { clusters: dests.filter((d) => total === 0 || (d.weight ?? 0) > 0).map((d) => ({ name: destinationCluster(d.destination, ctx), weight: total === 0 ? 1 : (d.weight ?? 0) })) } };
  return {
    ...(serverNames ? { filterChainMatch: { serverNames } } : {}),
    filters: [{ name: TCP_PROXY_FILTER, typedConfig: { '@type': TypeUrl.TcpProxy, ...tcp } }],
  };
}
