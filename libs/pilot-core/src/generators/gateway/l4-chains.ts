import { hostsOverlap, type ProxyNode, resolveHost } from '@mizzen/mesh-model';
import type { ServerTLSSettings, TCPRoute, VirtualService } from '@mizzen/config-api';
import type { FilterChain } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { tcpProxyChain } from '../common/tcp-proxy';
import { serverNamesFor, type SniClaims, sniHostsOf } from './merge';
import { gatewayServerTransportSocket } from './server-tls';
import { type BoundServer, namespaceAdmits, splitServerHost } from './servers';

/**
 * Filter chains of a gateway port's TLS PASSTHROUGH servers: one per matching `tls` route of the
 * bound VirtualServices, on the route's sniHosts within the server's hosts, forwarding without
 * terminating TLS. An SNI name already claimed on the port (by an HTTPS server or an earlier
 * route) is left out, so no two chains share a server name.
 */
export function passthroughChains(snapshot: MeshSnapshot, proxy: ProxyNode, servers: readonly BoundServer[], claims: SniClaims): FilterChain[] {
  const chains: FilterChain[] = [];
  for (const bs of servers) {
    for (const vs of snapshot.virtualServicesFor(bs.gateway, bs.gatewayNamespace)) {
      const serverHosts = (bs.server.hosts ?? []).map(splitServerHost).filter((h) => namespaceAdmits(h.namespace, bs.gatewayNamespace, vs.metadata.namespace));
      for (const r of vs.spec.tls ?? []) {
        const m = r.match.find((x) => (x.port === undefined || x.port === bs.port) && gatewayMatches(x.gateways, bs.gateway, vs.metadata.namespace));
        if (!m || !r.route?.length) continue;
        const sni = claims.claim(m.sniHosts.map((h) => resolveHost(h, vs.metadata.namespace, snapshot.mesh.domainSuffix)).filter((h) => serverHosts.some((s) => hostsOverlap(s.host, h))));
        if (sni.length) chains.push(tcpProxyChain(`gateway_tls_${bs.port}`, r.route, { snapshot, configNamespace: vs.metadata.namespace, port: bs.port, client: proxy }, serverNamesFor(sni)));
      }
    }
  }
  return chains;
}

/** The first bound VirtualService `tcp` route for a gateway TCP server, as a tcp_proxy chain. */
export function tcpServerChain(snapshot: MeshSnapshot, proxy: ProxyNode, servers: readonly BoundServer[]): FilterChain | undefined {
  for (const bs of servers) {
    for (const vs of snapshot.virtualServicesFor(bs.gateway, bs.gatewayNamespace)) {
      const r = firstTcpRoute(vs, bs);
      if (r?.route?.length) return tcpProxyChain(`gateway_tcp_${bs.port}`, r.route, { snapshot, configNamespace: vs.metadata.namespace, port: bs.port, client: proxy });
    }
  }
  return undefined;
}

/**
 * The chain of a `protocol: TLS` server that terminates TLS (SIMPLE, MUTUAL, OPTIONAL_MUTUAL), as
 * Istio's `createGatewayTCPFilterChainOpts` (pilot/pkg/networking/core/gateway.go): matched on the
 * server's hosts as `server_names`, the server's DownstreamTlsContext (server-tls.ts; Istio's
 * `buildGatewayListenerTLSContext` keeps ALPN `h2`, `http/1.1` here too), then a tcp_proxy to the first
 * `tcp` route (`buildGatewayNetworkFiltersFromTCPRoutes`) of the first bound VirtualService whose
 * hosts meet the server's (`pickMatchingGatewayHosts`). VirtualService `tls` routes are not used on
 * such a server, as in Istio (they need the SNI of a TLS stream the gateway does not terminate).
 * None when no `tcp` route matches (Istio builds no chain either).
 */
export function terminatedTlsChain(snapshot: MeshSnapshot, proxy: ProxyNode, bs: BoundServer): FilterChain | undefined {
  for (const vs of snapshot.virtualServicesFor(bs.gateway, bs.gatewayNamespace)) {
    if (!vsHostsMeetServer(snapshot, vs, bs)) continue;
    const r = firstTcpRoute(vs, bs);
    if (!r?.route?.length) continue;
    const chain = tcpProxyChain(`gateway_tls_${bs.port}`, r.route, { snapshot, configNamespace: vs.metadata.namespace, port: bs.port, client: proxy }, serverNamesFor(sniHostsOf(bs)));
    return { ...chain, transportSocket: gatewayServerTransportSocket(bs.server.tls as ServerTLSSettings) };
  }
  return undefined;
}

/** Istio `l4MultiMatch`: a `tcp` route with no match, or one whose port and gateways fit the server. */
function firstTcpRoute(vs: VirtualService, bs: BoundServer): TCPRoute | undefined {
  return (vs.spec.tcp ?? []).find((x) => !x.match?.length || x.match.some((m) => (m.port === undefined || m.port === bs.port) && gatewayMatches(m.gateways, bs.gateway, vs.metadata.namespace)));
}

/** Istio `pickMatchingGatewayHosts`: some VirtualService host overlaps a server host the VirtualService's namespace may bind. */
function vsHostsMeetServer(snapshot: MeshSnapshot, vs: VirtualService, bs: BoundServer): boolean {
  const serverHosts = (bs.server.hosts ?? []).map(splitServerHost).filter((h) => namespaceAdmits(h.namespace, bs.gatewayNamespace, vs.metadata.namespace));
  return (vs.spec.hosts ?? []).some((h) => serverHosts.some((s) => hostsOverlap(s.host, resolveHost(h, vs.metadata.namespace, snapshot.mesh.domainSuffix))));
}

function gatewayMatches(gateways: readonly string[] | undefined, gateway: string, vsNamespace: string): boolean {
  return !gateways?.length || gateways.some((g) => (g.includes('/') ? g : `${vsNamespace}/${g}`) === gateway);
}
