import type { Route, RouteConfig, VirtualHost } from '../config/model';
import type { RequestView } from './request-view';
import { selectRoute } from './route-matcher';
import { VirtualHostIndex } from './virtual-hosts';

export interface RouteSelection {
  virtualHost: VirtualHost;
  route: Route;
}

/** A RouteConfiguration compiled for lookups: domain index built once per config version. */
export class RouteTable {
  private readonly index: VirtualHostIndex;

  constructor(readonly config: RouteConfig) {
    this.index = new VirtualHostIndex(config.virtualHosts);
  }

  /** The virtual host the request's authority selects, if any. */
  virtualHostFor(req: RequestView): VirtualHost | undefined {
    return this.index.find(this.config.ignorePortInHostMatching ? stripPort(req.authority) : req.authority);
  }

  /** The matching route, or undefined when no virtual host or no route matches (Envoy: 404, flag NR). */
  select(req: RequestView): RouteSelection | undefined {
    const virtualHost = this.virtualHostFor(req);
    if (!virtualHost) return undefined;
    const route = selectRoute(virtualHost.routes, req);
    return route ? { virtualHost, route } : undefined;
  }
}

/** `host:port` -> `host` (IPv6 literals keep their brackets). */
export function stripPort(authority: string): string {
  const m = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(authority);
  return m ? m[1] : authority;
}
