import { TypeUrl, type HttpConnectionManager, type HttpFilter, type Listener, type RouteConfiguration } from '@mizzen/xds-types';
import { CORS_FILTER } from './cors';
import { FAULT_FILTER } from './fault';

export const HCM_FILTER = 'envoy.filters.network.http_connection_manager';
export const ROUTER_FILTER = 'envoy.filters.http.router';

/** ADS as the config source for RDS/EDS (Envoy: `config_source: { ads: {} }`). */
export const ADS_SOURCE = { ads: {}, resourceApiVersion: 'V3' } as const;

/**
 * The HTTP filter chain every Mizzen HCM carries, in Istio's order (listener_builder.go
 * `buildHTTPConnectionManager`): the security filters of an inbound HCM (CUSTOM authz, jwt_authn,
 * RBAC) first, then fault, CORS, and the router last.
 */
export function httpFilters(security: readonly HttpFilter[] = []): HttpConnectionManager['httpFilters'] {
  return [
    ...security,
    { name: FAULT_FILTER, typedConfig: { '@type': TypeUrl.HTTPFault } },
    { name: CORS_FILTER, typedConfig: { '@type': TypeUrl.Cors } },
    { name: ROUTER_FILTER, typedConfig: { '@type': TypeUrl.Router } },
  ];
}

/**
 * The filters proxyless gRPC clients accept (gRFC A39: fault A33, RBAC A41, router); an unknown
 * non-optional filter makes them NACK the listener.
 */
export function grpcHttpFilters(): HttpConnectionManager['httpFilters'] {
  return (httpFilters() ?? []).filter((f) => f.name !== CORS_FILTER);
}

/** Istio enables WebSocket upgrades on every HTTP connection manager. */
const UPGRADES: HttpConnectionManager['upgradeConfigs'] = [{ upgradeType: 'websocket' }];

export function hcmWithRds(statPrefix: string, routeConfigName: string, filters = httpFilters()): HttpConnectionManager {
  return { statPrefix, codecType: 'AUTO', rds: { routeConfigName, configSource: ADS_SOURCE }, httpFilters: filters, upgradeConfigs: UPGRADES };
}

export function hcmWithRoutes(statPrefix: string, routeConfig: RouteConfiguration, filters = httpFilters()): HttpConnectionManager {
  return { statPrefix, codecType: 'AUTO', routeConfig, httpFilters: filters, upgradeConfigs: UPGRADES };
}

/** A listener bound at `address:port` with one filter chain holding the HCM. */
export function httpListener(name: string, address: string, port: number, hcm: HttpConnectionManager, direction: 'INBOUND' | 'OUTBOUND'): Listener {
  return {
    name,
    address: { socketAddress: { address, portValue: port } },
    trafficDirection: direction,
    filterChains: [{ filters: [{ name: HCM_FILTER, typedConfig: { '@type': TypeUrl.HttpConnectionManager, ...hcm } }] }],
  };
}
