import { TypeUrl, type Route, type XdsResource } from '@mizzen/xds-types';
import { defaultRoute, virtualServiceRoutes } from '../common/mesh-routes';
import type { GenerationContext, Generator } from '../types';
import { resolveTarget } from './target';

/**
 * Proxyless gRPC RDS: one virtual host whose domain is the requested target (gRPC matches the
 * domain against the target, port included). Only forwarding routes are kept: gRPC clients fail
 * RPCs on redirect/direct_response routes, so those are dropped here rather than sent.
 */
export const proxylessRoutes: Generator = {
  typeUrl: TypeUrl.RouteConfiguration,
  generate({ snapshot, proxy, names }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    for (const name of [...new Set(names ?? [])].sort()) {
      const t = resolveTarget(snapshot, name, proxy.namespace);
      if (!t) continue;
      const vss = snapshot.virtualServicesForHost(t.service.hostname, 'mesh', proxy.namespace);
      const routes: Route[] = (vss.length ? virtualServiceRoutes(snapshot, vss, t.port.number, 'mesh', proxy) : [defaultRoute(snapshot, t.service, t.port, proxy, false)]).filter((r) => r.route);
      const domains = [...new Set([name, t.service.hostname, `${t.service.hostname}:${t.port.number}`])];
      out.push({ typeUrl: TypeUrl.RouteConfiguration, name, body: { name, virtualHosts: [{ name, domains, routes }] } });
    }
    return out;
  },
};
