import { hostsOverlap, type ProxyNode, resolveHost } from '@mizzen/mesh-model';
import { TypeUrl, type Route, type RouteConfiguration, type VirtualHost, type XdsResource } from '@mizzen/xds-types';
import { gatewayRouteName } from '../../naming/cluster-name';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { virtualServiceRoutes } from '../common/mesh-routes';
import type { GenerationContext, Generator } from '../types';
import { type BoundServer, httpsRouteName, namespaceAdmits, serversByPort, splitServerHost } from './servers';

/**
 * Gateway RDS: `http.<port>` for the plain HTTP servers of a port, and one configuration per
 * HTTPS server (`https.<port>.<index>.<gateway>.<ns>`). Each holds the VirtualServices bound to the
 * server's Gateway whose hosts intersect the server's hosts (respecting the `ns/` filter); the
 * virtual host domain is the more specific of the two hosts; `*` matches any authority.
 * https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export const gatewayRoutes: Generator = {
  typeUrl: TypeUrl.RouteConfiguration,
  generate({ snapshot, proxy, names }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    const add = (name: string, servers: BoundServer[], port: number) => {
      if (names && !names.includes(name)) return;
      out.push({ typeUrl: TypeUrl.RouteConfiguration, name, body: routeConfig(snapshot, proxy, name, servers, port) });
    };
    for (const [port, servers] of serversByPort(snapshot, proxy)) {
      const http = servers.filter((s) => s.kind === 'http');
      if (http.length) add(gatewayRouteName(port), http, port);
      for (const s of servers.filter((x) => x.kind === 'https')) add(httpsRouteName(s), [s], port);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  },
};

function routeConfig(snapshot: MeshSnapshot, proxy: ProxyNode, name: string, servers: BoundServer[], port: number): RouteConfiguration {
  const byDomain = new Map<string, { routes: Route[]; requireTls: boolean }>();
  for (const bs of servers) {
    for (const vs of snapshot.virtualServicesFor(bs.gateway, bs.gatewayNamespace)) {
      const vsHosts = (vs.spec.hosts ?? []).map((h) => resolveHost(h, vs.metadata.namespace, snapshot.mesh.domainSuffix));
      for (const sh of bs.server.hosts ?? []) {
        const { namespace, host } = splitServerHost(sh);
        if (!namespaceAdmits(namespace, bs.gatewayNamespace, vs.metadata.namespace)) continue;
        for (const vh of vsHosts) {
          if (!hostsOverlap(vh, host)) continue;
          const domain = moreSpecific(vh, host);
          const entry = byDomain.get(domain) ?? { routes: [], requireTls: false };
          entry.routes.push(...virtualServiceRoutes(snapshot, [vs], port, bs.gateway, proxy));
          entry.requireTls ||= bs.server.tls?.httpsRedirect === true;
          byDomain.set(domain, entry);
        }
      }
    }
  }
  const vhosts: VirtualHost[] = [...byDomain.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([domain, e]) => ({
      name: `${domain}:${port}`,
      domains: domain === '*' ? ['*'] : [domain, `${domain}:${port}`],
      routes: e.routes,
      ...(e.requireTls ? { requireTls: 'ALL' as const } : {}),
    }));
  return { name, validateClusters: { value: false }, virtualHosts: vhosts };
}

function moreSpecific(a: string, b: string): string {
  if (a === '*') return b;
  if (b === '*') return a;
  if (a.startsWith('*') && !b.startsWith('*')) return b;
  if (b.startsWith('*') && !a.startsWith('*')) return a;
  return a.length >= b.length ? a : b;
}
