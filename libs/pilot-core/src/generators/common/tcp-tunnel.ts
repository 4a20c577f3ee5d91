import type { Destination } from '@mizzen/config-api';
import type { TcpProxyTunnelingConfig } from '@mizzen/xds-types';
import { type RouteContext, resolveDestination } from './destination';
import { effectivePolicy } from './traffic-policy';

/** `host:port`, bracketing IPv6 literals (Envoy's tunneling hostname). */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * DestinationRule `tunnel` (top-level or the subset's) for a TCP proxy with one destination, as
 * Istio: the stream goes over HTTP CONNECT (or POST) to the destination, asking it for
 * `targetHost:targetPort`.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-TunnelSettings
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto#extensions-filters-network-tcp-proxy-v3-tcpproxy-tunnelingconfig
 */
export function tcpTunnelingConfig(dest: Destination, ctx: RouteContext): { tunnelingConfig?: TcpProxyTunnelingConfig } {
  const { host, port, subset } = resolveDestination(dest, ctx);
  const tunnel = effectivePolicy(ctx.snapshot.destinationRuleFor(host, ctx.client), subset, port)?.tunnel;
  if (!tunnel) return {};
  return { tunnelingConfig: { hostname: joinHostPort(tunnel.targetHost, tunnel.targetPort), ...(tunnel.protocol === 'POST' ? { usePost: true } : {}) } };
}
