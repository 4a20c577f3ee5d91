import type { ConnectionPoolSettings, Sidecar } from '@mizzen/config-api';

/**
 * The connection pool of a sidecar's inbound cluster for `port`, as Istio's
 * `SidecarScope.InboundConnectionPoolForPort`: the `connectionPool` of the ingress listener on that
 * port, else the Sidecar's `inboundConnectionPool`, else none (Istio's defaults).
 * https://istio.io/latest/docs/reference/config/networking/sidecar/#Sidecar (inboundConnectionPool)
 */
export function inboundConnectionPool(sidecar: Sidecar | undefined, port: number): ConnectionPoolSettings | undefined {
  const listener = sidecar?.spec.ingress?.find((l) => l.port.number === port);
  return listener?.connectionPool ?? sidecar?.spec.inboundConnectionPool;
}
