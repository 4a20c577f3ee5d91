/**
 * Istio's cluster naming: `outbound|<port>|<subset>|<host>` and `inbound|<port>||`.
 * https://github.com/istio/istio/blob/master/pilot/pkg/model/service.go (BuildSubsetKey)
 */
export interface OutboundClusterKey {
  port: number;
  subset: string;
  host: string;
}

export function outboundClusterName(port: number, subset: string, host: string): string {
  return `outbound|${port}|${subset}|${host}`;
}

export function inboundClusterName(port: number): string {
  return `inbound|${port}||`;
}

export function parseOutboundClusterName(name: string): OutboundClusterKey | undefined {
  const parts = name.split('|');
  if (parts.length !== 4 || parts[0] !== 'outbound') return undefined;
  const port = Number(parts[1]);
  if (!Number.isInteger(port) || port <= 0) return undefined;
  return { port, subset: parts[2], host: parts[3] };
}

export const PASSTHROUGH_CLUSTER = 'PassthroughCluster';
export const BLACKHOLE_CLUSTER = 'BlackHoleCluster';
/** Istio's name for the HTTP_PROXY egress route configuration. */
export const HTTP_PROXY_ROUTE = 'http_proxy';
export const HTTP_PROXY_LISTENER = 'outbound_http_proxy';
export const HTTP_PROXY_PORT = 15001;

export const gatewayRouteName = (port: number): string => `http.${port}`;
export const listenerName = (ip: string, port: number): string => `${ip}_${port}`;
