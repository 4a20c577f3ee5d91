import { hostsOverlap, type ProxyNode, resolveHost } from '@mizzen/mesh-model';
import type { FilterChain } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { tcpProxyChain } from '../common/tcp-proxy';
import { serverNamesFor, type SniClaims } from './merge';
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
      const r = (vs.spec.tcp ?? []).find((x) => !x.match?.length || x.match.some((m) => (m.port === undefined || m.port === bs.port) && gatewayMatches(m.gateways, bs.gateway, vs.metadata.namespace)));
      if (r?.route?.length) return tcpProxyChain(`gateway_tcp_${bs.port}`, r.route, { snapshot, configNamespace: vs.metadata.namespace, port: bs.port, client: proxy });
    }
  }
  return undefined;
}

function gatewayMatches(gateways: readonly string[] | undefined, gateway: string, vsNamespace: string): boolean {
  return !gateways?.length || gateways.some((g) => (g.includes('/') ? g : `${vsNamespace}/${g}`) === gateway);
}
