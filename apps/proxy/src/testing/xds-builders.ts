import type * as xds from '@mizzen/xds-types';
import { TypeUrl, toAny } from '@mizzen/xds-types';
import type { PushedResource } from './fake-control-plane';

/** Envoy resources the way Pilot is to send them, for tests. */

export const router: xds.HttpFilter = { name: 'envoy.filters.http.router', typedConfig: toAny(TypeUrl.Router, {}) };

export function hcm(statPrefix: string, routes: { rds: string } | { inline: xds.RouteConfiguration }): xds.Any {
  const body: xds.HttpConnectionManager = { statPrefix, httpFilters: [router] };
  if ('rds' in routes) body.rds = { routeConfigName: routes.rds, configSource: { ads: {}, resourceApiVersion: 'V3' } };
  else body.routeConfig = routes.inline;
  return toAny(TypeUrl.HttpConnectionManager, body);
}

export function listener(name: string, ip: string, port: number, routes: { rds: string } | { inline: xds.RouteConfiguration }): xds.Listener {
  return {
    name,
    address: { socketAddress: { address: ip, portValue: port } },
    filterChains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typedConfig: hcm(name, routes) }] }],
  };
}

export function edsCluster(name: string, extra: Partial<xds.Cluster> = {}): xds.Cluster {
  return { name, type: 'EDS', edsClusterConfig: { edsConfig: { ads: {} }, serviceName: name }, connectTimeout: { seconds: 1 }, lbPolicy: 'ROUND_ROBIN', ...extra };
}

export function staticCluster(name: string, endpoints: Array<[string, number]>, extra: Partial<xds.Cluster> = {}): xds.Cluster {
  return { name, type: 'STATIC', connectTimeout: { seconds: 1 }, loadAssignment: assignment(name, endpoints), ...extra };
}

export const passthroughCluster: xds.Cluster = { name: 'PassthroughCluster', type: 'ORIGINAL_DST', lbPolicy: 'CLUSTER_PROVIDED', connectTimeout: { seconds: 1 } };
export const blackHoleCluster: xds.Cluster = { name: 'BlackHoleCluster', type: 'STATIC', connectTimeout: { seconds: 1 } };

export function assignment(clusterName: string, endpoints: Array<[string, number, number?]>): xds.ClusterLoadAssignment {
  return {
    clusterName,
    endpoints: [
      {
        locality: {},
        loadBalancingWeight: { value: 1 },
        lbEndpoints: endpoints.map(([address, portValue, weight]) => ({
          endpoint: { address: { socketAddress: { address, portValue } } },
          loadBalancingWeight: weight === undefined ? undefined : { value: weight },
        })),
      },
    ],
  };
}

export function vhost(name: string, domains: string[], routes: xds.Route[]): xds.VirtualHost {
  return { name, domains, routes };
}

export function routeTo(cluster: string, match: xds.RouteMatch = { prefix: '/' }, action: Partial<xds.RouteAction> = {}): xds.Route {
  return { match, route: { cluster, ...action } };
}

export function routeConfiguration(name: string, virtualHosts: xds.VirtualHost[]): xds.RouteConfiguration {
  return { name, virtualHosts };
}

export const asListeners = (ls: xds.Listener[]): PushedResource[] => ls.map((body) => ({ typeUrl: TypeUrl.Listener, body }));
export const asClusters = (cs: xds.Cluster[]): PushedResource[] => cs.map((body) => ({ typeUrl: TypeUrl.Cluster, body }));
export const asRoutes = (rs: xds.RouteConfiguration[]): PushedResource[] => rs.map((body) => ({ typeUrl: TypeUrl.RouteConfiguration, body }));
export const asEndpoints = (es: xds.ClusterLoadAssignment[]): PushedResource[] => es.map((body) => ({ typeUrl: TypeUrl.ClusterLoadAssignment, body }));
