import type { Gateway, Server } from '@mizzen/config-api';
import type { ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { mergePortServers } from './merge';

/**
 * How a gateway server's traffic is handled, from its protocol and TLS mode (Istio's rules):
 * `tls-terminated` is a `protocol: TLS` server whose mode is not a passthrough one (SIMPLE, MUTUAL,
 * OPTIONAL_MUTUAL): TLS ends at the gateway and the plaintext goes on as TCP (Istio
 * `IsTCPServerWithTLSTermination`, pkg/config/gateway/gateway.go).
 */
export type ServerKind = 'http' | 'https' | 'tls-passthrough' | 'tls-terminated' | 'tcp';

/** A Gateway server as bound on one gateway proxy. */
export interface BoundServer {
  gateway: string; // `namespace/name`
  gatewayNamespace: string;
  server: Server;
  port: number;
  kind: ServerKind;
  /** Index of the server in its Gateway (names its HTTPS route configuration). */
  index: number;
}

export function serverKind(s: Server): ServerKind | undefined {
  const protocol = (s.port?.protocol ?? '').toUpperCase();
  if (protocol === 'HTTP' || protocol === 'HTTP2' || protocol === 'GRPC') return 'http';
  if (protocol === 'HTTPS' || protocol === 'TLS') {
    if (s.tls?.mode === 'PASSTHROUGH' || s.tls?.mode === 'AUTO_PASSTHROUGH') return 'tls-passthrough';
    return protocol === 'HTTPS' ? 'https' : 'tls-terminated';
  }
  if (protocol === 'TCP' || protocol === 'MONGO' || protocol === 'REDIS' || protocol === 'MYSQL') return 'tcp';
  return undefined;
}

/**
 * Servers of the Gateways selecting this gateway proxy, grouped by port, in Gateway precedence
 * order, after the merge rules of merge.ts (a TLS server repeating an earlier one's host is left
 * out, so listeners and routes never see it).
 */
export function serversByPort(snapshot: MeshSnapshot, proxy: ProxyNode): Map<number, BoundServer[]> {
  const byPort = new Map<number, BoundServer[]>();
  for (const gw of snapshot.gatewaysSelecting(proxy.labels)) {
    (gw.spec.servers ?? []).forEach((server, index) => {
      const kind = serverKind(server);
      if (!kind) return;
      const port = server.port.number;
      const list = byPort.get(port) ?? [];
      list.push({ gateway: qualified(gw), gatewayNamespace: gw.metadata.namespace, server, port, kind, index });
      byPort.set(port, list);
    });
  }
  for (const [port, list] of byPort) byPort.set(port, mergePortServers(list));
  return byPort;
}

const qualified = (gw: Gateway): string => `${gw.metadata.namespace}/${gw.metadata.name}`;

/** Splits a Gateway server host `ns/host` into its namespace filter (default `*`) and host. */
export function splitServerHost(h: string): { namespace: string; host: string } {
  const i = h.indexOf('/');
  return i < 0 ? { namespace: '*', host: h } : { namespace: h.slice(0, i), host: h.slice(i + 1) };
}

/** Whether a VirtualService in `vsNamespace` may bind to a server host's namespace filter. */
export function namespaceAdmits(filter: string, gatewayNamespace: string, vsNamespace: string): boolean {
  return filter === '*' || (filter === '.' ? gatewayNamespace : filter) === vsNamespace;
}

/** Istio's per-server HTTPS route name: `https.<port>.<server index>.<gateway>.<namespace>`. */
export function httpsRouteName(bs: BoundServer): string {
  const [ns, name] = bs.gateway.split('/');
  return `https.${bs.port}.${bs.index}.${name}.${ns}`;
}
