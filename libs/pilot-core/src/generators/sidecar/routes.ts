import { hostAliases, type ProxyNode } from '@mizzen/mesh-model';
import { TypeUrl, type RouteConfiguration, type VirtualHost, type XdsResource } from '@mizzen/xds-types';
import { HTTP_PROXY_ROUTE, PASSTHROUGH_CLUSTER } from '../../naming/cluster-name';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { type SidecarScope, scopeAdmitsPort } from '../../snapshot/sidecar-scope';
import { destinationCluster } from '../common/destination';
import { ZERO_DURATION } from '../common/durations';
import { defaultRoute, virtualServiceRoutes } from '../common/mesh-routes';
import type { GenerationContext, Generator } from '../types';

/**
 * RDS `http_proxy`: one virtual host per visible service port, named `host:port`, whose domains are
 * every alias of the host with the port (and without it for port 80), as Istio builds for its
 * HTTP_PROXY egress listener. Routes come from VirtualServices bound to `mesh`; a service without
 * one gets a default route. The last virtual host catches unknown hosts per the outbound policy.
 */
export const sidecarRoutes: Generator = {
  typeUrl: TypeUrl.RouteConfiguration,
  generate({ snapshot, proxy, names }: GenerationContext): XdsResource[] {
    if (names && !names.includes(HTTP_PROXY_ROUTE)) return [];
    return [{ typeUrl: TypeUrl.RouteConfiguration, name: HTTP_PROXY_ROUTE, body: httpProxyRouteConfig(snapshot, proxy) }];
  },
};

export function httpProxyRouteConfig(snapshot: MeshSnapshot, proxy: ProxyNode): RouteConfiguration {
  const clientNamespace = proxy.namespace;
  const vhosts: VirtualHost[] = [];
  const seen = new Set<string>();
  const scope = snapshot.scopeFor(proxy);
  for (const svc of snapshot.servicesForProxy(proxy)) {
    const vss = snapshot.virtualServicesForHost(svc.hostname, 'mesh', clientNamespace);
    const aliases = hostAliases(svc.hostname, clientNamespace, snapshot.mesh.domainSuffix);
    for (const port of svc.ports) {
      if (!scopeAdmitsPort(scope, svc, port.number)) continue;
      const domains: string[] = [];
      for (const a of aliases) {
        for (const d of port.number === 80 ? [`${a}:${port.number}`, a] : [`${a}:${port.number}`]) {
          if (!seen.has(d)) {
            seen.add(d);
            domains.push(d);
          }
        }
      }
      if (!domains.length) continue;
      const routes = vss.length ? virtualServiceRoutes(snapshot, vss, port.number, 'mesh', proxy) : [defaultRoute(snapshot, svc, port, proxy)];
      vhosts.push({ name: `${svc.hostname}:${port.number}`, domains, routes });
    }
  }
  vhosts.push(catchAll(scope.outboundTrafficPolicy ?? snapshot.mesh.outboundTrafficPolicy, egressProxyCluster(snapshot, scope, proxy)));
  return { name: HTTP_PROXY_ROUTE, validateClusters: { value: false }, virtualHosts: vhosts };
}

/**
 * ALLOW_ANY: unknown hosts pass through, or go to the Sidecar's `egressProxy` cluster when it has
 * one (Istio's BuildCatchAllVirtualHost); REGISTRY_ONLY: 502, as Istio's `block_all`.
 */
function catchAll(policy: 'ALLOW_ANY' | 'REGISTRY_ONLY', egressCluster = PASSTHROUGH_CLUSTER): VirtualHost {
  if (policy === 'REGISTRY_ONLY') {
    return { name: 'block_all', domains: ['*'], routes: [{ name: 'block_all', match: { prefix: '/' }, directResponse: { status: 502 } }] };
  }
  return { name: 'allow_any', domains: ['*'], routes: [{ name: 'allow_any', match: { prefix: '/' }, route: { cluster: egressCluster, timeout: ZERO_DURATION } }] };
}

/** The outbound cluster of the Sidecar's `egressProxy` destination (host resolved in the Sidecar's namespace). */
function egressProxyCluster(snapshot: MeshSnapshot, scope: SidecarScope, proxy: ProxyNode): string | undefined {
  const ep = scope.egressProxy;
  if (!ep) return undefined;
  return destinationCluster(ep.destination, { snapshot, configNamespace: ep.namespace, port: ep.destination.port?.number ?? 0, client: proxy });
}
