import type { TCPRoute, TLSRoute, VirtualService } from '@mizzen/config-api';
import { hostsOverlap, isHttpProtocol, matchesSelector, type ProxyNode, type Service, type ServicePort } from '@mizzen/mesh-model';
import { type FilterChain, type Listener, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { HTTP_PROXY_PORT } from '../../naming/cluster-name';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { scopeAdmitsPort } from '../../snapshot/sidecar-scope';
import { TLS_INSPECTOR, tcpProxyChain } from '../common/tcp-proxy';
import { inboundPortsFor } from './inbound-ports';

const RESERVED_PORTS = new Set([HTTP_PROXY_PORT, 15000, 15006, 15020, 15021, 15090]);

/**
 * Sidecar outbound TCP and TLS listeners for local mode (Istio's Sidecar egress with
 * `captureMode: NONE`): an application connects to its sidecar's own address on the service port.
 * - `outbound_tcp_<port>`: tcp_proxy to the port's service (VirtualService `tcp` routes apply);
 *   without destination IPs to tell services apart, a port shared by several TCP services goes to
 *   the first by host name.
 * - `outbound_tls_<port>`: TLS passthrough, one filter chain per SNI host (VirtualService `tls`
 *   routes apply), the TLS is not terminated.
 * Ports the workload itself serves, and the proxy's own ports, are skipped.
 */
export function outboundL4Listeners(snapshot: MeshSnapshot, proxy: ProxyNode): XdsResource[] {
  const byPort = new Map<number, Array<{ svc: Service; port: ServicePort }>>();
  const inbound = new Set(inboundPortsFor(snapshot, proxy).map((p) => p.port));
  const scope = snapshot.scopeFor(proxy);
  for (const svc of snapshot.servicesForProxy(proxy)) {
    for (const port of svc.ports) {
      if (isHttpProtocol(port.protocol) || RESERVED_PORTS.has(port.number) || inbound.has(port.number)) continue;
      if (!scopeAdmitsPort(scope, svc, port.number)) continue;
      const list = byPort.get(port.number) ?? [];
      list.push({ svc, port });
      byPort.set(port.number, list);
    }
  }
  const out: XdsResource[] = [];
  for (const [num, entries] of [...byPort].sort(([a], [b]) => a - b)) {
    const tls = entries.filter((e) => e.port.protocol === 'TLS' || e.port.protocol === 'HTTPS');
    const tcp = entries.filter((e) => !tls.includes(e));
    if (tcp.length) out.push(listener(`outbound_tcp_${num}`, proxy.ip, num, [tcpChain(snapshot, proxy, tcp[0].svc, num)]));
    if (tls.length && !tcp.length) {
      const chains = tls.flatMap((e) => tlsChains(snapshot, proxy, e.svc, num));
      out.push(listener(`outbound_tls_${num}`, proxy.ip, num, chains, [TLS_INSPECTOR]));
    }
  }
  return out;
}

function listener(name: string, ip: string, port: number, filterChains: FilterChain[], listenerFilters?: Listener['listenerFilters']): XdsResource {
  const body: Listener = { name, address: { socketAddress: { address: ip, portValue: port } }, trafficDirection: 'OUTBOUND', filterChains, ...(listenerFilters ? { listenerFilters } : {}) };
  return { typeUrl: TypeUrl.Listener, name, body };
}

/**
 * Whether a `tcp`/`tls` match entry applies to this sidecar on `port`: its `sourceLabels` and
 * `sourceNamespace` select the proxies the route is generated for, and match-level `gateways`
 * must include `mesh` (Istio's L4 route selection for sidecars).
 */
function l4MatchApplies(m: { port?: number; sourceLabels?: Record<string, string>; sourceNamespace?: string; gateways?: string[] }, port: number, proxy: ProxyNode): boolean {
  if (m.port !== undefined && m.port !== port) return false;
  if (m.sourceLabels && !matchesSelector(proxy.labels, m.sourceLabels)) return false;
  if (m.sourceNamespace && m.sourceNamespace !== proxy.namespace) return false;
  return !m.gateways?.length || m.gateways.includes('mesh');
}

const ctxFor = (snapshot: MeshSnapshot, vs: VirtualService | undefined, proxy: ProxyNode, port: number) => ({ snapshot, configNamespace: vs?.metadata.namespace ?? proxy.namespace, port, client: proxy });

function tcpChain(snapshot: MeshSnapshot, proxy: ProxyNode, svc: Service, port: number): FilterChain {
  for (const vs of snapshot.virtualServicesForHost(svc.hostname, 'mesh', proxy.namespace)) {
    const route = (vs.spec.tcp ?? []).find((r: TCPRoute) => !r.match?.length || r.match.some((m) => l4MatchApplies(m, port, proxy)));
    if (route?.route?.length) return tcpProxyChain(`outbound|${port}||${svc.hostname}`, route.route, ctxFor(snapshot, vs, proxy, port));
  }
  return tcpProxyChain(`outbound|${port}||${svc.hostname}`, [{ destination: { host: svc.hostname, port: { number: port } } }], ctxFor(snapshot, undefined, proxy, port));
}

function tlsChains(snapshot: MeshSnapshot, proxy: ProxyNode, svc: Service, port: number): FilterChain[] {
  const chains: FilterChain[] = [];
  for (const vs of snapshot.virtualServicesForHost(svc.hostname, 'mesh', proxy.namespace)) {
    for (const r of vs.spec.tls ?? ([] as TLSRoute[])) {
      const m = r.match.find((x) => l4MatchApplies(x, port, proxy));
      if (!m || !r.route?.length) continue;
      const sni = m.sniHosts.filter((h) => hostsOverlap(h, svc.hostname));
      if (sni.length) chains.push(tcpProxyChain(`outbound|${port}||${svc.hostname}`, r.route, ctxFor(snapshot, vs, proxy, port), sni));
    }
  }
  if (!chains.length) chains.push(tcpProxyChain(`outbound|${port}||${svc.hostname}`, [{ destination: { host: svc.hostname, port: { number: port } } }], ctxFor(snapshot, undefined, proxy, port), [svc.hostname]));
  return chains;
}
