import type { HTTPMatchRequest, VirtualService } from '@mizzen/config-api';
import { matchesSelector, type ProxyNode, type Service, type ServicePort } from '@mizzen/mesh-model';
import type { Route } from '@mizzen/xds-types';
import { outboundClusterName } from '../../naming/cluster-name';
import type { MeshSnapshot, RuleClient } from '../../snapshot/mesh-snapshot';
import { expandDelegate } from './delegate';
import { hashPolicyFor } from './hash-policy';
import { toEnvoyRoutes } from './http-route';
import { defaultRetryPolicy } from './route-action';
import { ZERO_DURATION } from './durations';

/**
 * Whether a match entry applies on `port` for `gateway` (`mesh` or `ns/name`) at this proxy:
 * `sourceLabels` and `sourceNamespace` select the proxies the match is generated for, as Istio does.
 */
export function matchApplies(m: HTTPMatchRequest, port: number, gateway: string, vsNamespace: string, proxy: ProxyNode): boolean {
  if (m.port !== undefined && m.port !== port) return false;
  if (m.sourceLabels && !matchesSelector(proxy.labels, m.sourceLabels)) return false;
  if (m.sourceNamespace && m.sourceNamespace !== proxy.namespace) return false;
  if (m.gateways && m.gateways.length) {
    return m.gateways.some((g) => (g === 'mesh' || g.includes('/') ? g : `${vsNamespace}/${g}`) === gateway);
  }
  return true;
}

/** Routes of the VirtualServices for one host:port, in precedence order (first match wins). */
export function virtualServiceRoutes(snapshot: MeshSnapshot, vss: readonly VirtualService[], port: number, gateway: string, proxy: ProxyNode): Route[] {
  const routes: Route[] = [];
  for (const vs of vss) {
    const ctx = { snapshot, configNamespace: vs.metadata.namespace, port, client: proxy };
    for (const r of vs.spec.http ?? []) {
      if (r.delegate) {
        for (const d of expandDelegate(snapshot, r, vs.metadata.namespace)) {
          const dctx = { ...ctx, configNamespace: d.namespace };
          routes.push(...toEnvoyRoutes(d.route, dctx, (m) => matchApplies(m, port, gateway, vs.metadata.namespace, proxy)));
        }
        continue;
      }
      routes.push(...toEnvoyRoutes(r, ctx, (m) => matchApplies(m, port, gateway, vs.metadata.namespace, proxy)));
    }
  }
  return routes;
}

/** The route a service port gets when no VirtualService applies: everything to the default cluster. */
export function defaultRoute(snapshot: MeshSnapshot, svc: Service, port: ServicePort, client: RuleClient, withRetries = true): Route {
  const retry = withRetries ? defaultRetryPolicy(snapshot.mesh.defaultRetryAttempts) : undefined;
  // A DestinationRule's consistentHash applies without a VirtualService too (Istio's default route).
  const hashPolicy = hashPolicyFor({ host: svc.hostname, port: { number: port.number } }, { snapshot, configNamespace: svc.namespace, port: port.number, client });
  return {
    name: 'default',
    match: { prefix: '/' },
    route: { cluster: outboundClusterName(port.number, '', svc.hostname), timeout: ZERO_DURATION, ...(retry ? { retryPolicy: retry } : {}), ...(hashPolicy.length ? { hashPolicy } : {}) },
  };
}
