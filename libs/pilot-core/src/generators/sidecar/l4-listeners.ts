import type { TCPRoute, TLSRoute } from '@mizzen/config-api';
import { hostsOverlap, isHttpProtocol, type ProxyNode, type Service, type ServicePort } from '@mizzen/mesh-model';
import { type FilterChain, type Listener, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { HTTP_PROXY_PORT } from '../../naming/cluster-name';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { scopeAdmitsPort } from '../../snapshot/sidecar-scope';
import { TLS_INSPECTOR, tcpProxyChain } from '../common/tcp-proxy';
import { inboundPortsFor } from './inbound-ports';
import { l4MatchApplies, l4RouteContext as ctxFor } from './l4-match';
import { tproxyTcpChains, tproxyTlsChains, uniqueChainMatches } from './l4-tproxy';

const RESERVED_PORTS = new Set([HTTP_PROXY_PORT, 15000, 15006, 15020, 15021, 15090]);

type PortEntry = { svc: Service; port: ServicePort };

/**
 * Sidecar outbound TCP and TLS listeners, one per non-HTTP service port:
 * - `outbound_tcp_<port>`: tcp_proxy to the port's services (VirtualService `tcp` routes apply).
 * - `outbound_tls_<port>`: TLS passthrough, filter chains by SNI (VirtualService `tls` routes
 *   apply), the TLS is not terminated. A port with TCP services has no TLS listener.
 * How they bind depends on the proxy's interception mode:
 * - NONE (local mode, Istio's Sidecar egress `captureMode: NONE`): the application connects to
 *   its sidecar's own address on the service port. Without destination IPs to tell services
 *   apart, a TCP port shared by several services goes to the first by host name, and
 *   `destinationSubnets` / ServiceEntry `addresses` cannot apply.
 * - TPROXY: `0.0.0.0:<port>`; the original destination is the socket's local address, so each
 *   service and `destinationSubnets` match gets its own chain on `prefix_ranges` (l4-tproxy.ts).
 * Ports the workload itself serves, and the proxy's own ports, are skipped.
 */
export function outboundL4Listeners(snapshot: MeshSnapshot, proxy: ProxyNode): XdsResource[] {
  const byPort = new Map<number, PortEntry[]>();
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
  const tproxy = proxy.interceptionMode === 'TPROXY';
  const bindIp = tproxy ? '0.0.0.0' : proxy.ip;
  const out: XdsResource[] = [];
  for (const [num, entries] of [...byPort].sort(([a], [b]) => a - b)) {
    const tls = entries.filter((e) => e.port.protocol === 'TLS' || e.port.protocol === 'HTTPS');
    const tcp = entries.filter((e) => !tls.includes(e));
    if (tcp.length) {
      const chains = tproxy ? uniqueChainMatches(tcp.flatMap((e) => tproxyTcpChains(snapshot, proxy, e.svc, num))) : [tcpChain(snapshot, proxy, tcp[0].svc, num)];
      out.push(listener(`outbound_tcp_${num}`, bindIp, num, chains));
    }
    if (tls.length && !tcp.length) {
      const chains = tls.flatMap((e) => (tproxy ? tproxyTlsChains : tlsChains)(snapshot, proxy, e.svc, num));
      out.push(listener(`outbound_tls_${num}`, bindIp, num, tproxy ? uniqueChainMatches(chains) : chains, [TLS_INSPECTOR]));
    }
  }
  return out;
}

function listener(name: string, ip: string, port: number, filterChains: FilterChain[], listenerFilters?: Listener['listenerFilters']): XdsResource {
  const body: Listener = { name, address: { socketAddress: { address: ip, portValue: port } }, trafficDirection: 'OUTBOUND', filterChains, ...(listenerFilters ? { listenerFilters } : {}) };
  return { typeUrl: TypeUrl.Listener, name, body };
}

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
