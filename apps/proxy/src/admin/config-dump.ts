import { TypeUrl } from '@mizzen/xds-types';
import type { ProxyRuntime, SnapshotEntry } from '../runtime';

/** Bootstrap facts shown in the dump (Envoy's BootstrapConfigDump, reduced). */
export interface BootstrapInfo {
  node: object;
  pilot: string;
}

const ADMIN = 'type.googleapis.com/envoy.admin.v3';

const stamp = (e: SnapshotEntry): { version_info: string; last_updated: string } => ({ version_info: e.version, last_updated: e.lastUpdated.toISOString() });

/**
 * `/config_dump` in Envoy's shape: one entry per config type, dynamic resources with the version
 * in which each last changed. Resource bodies are the ACKed xDS bodies (camelCase proto JSON);
 * endpoints only with `?include_eds`, as in Envoy.
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin#get--config_dump
 */
export function configDump(rt: ProxyRuntime, boot: BootstrapInfo, includeEds: boolean): object {
  const s = rt.snapshot;
  const warmingClusters = new Set(rt.clusters.warmingNames());
  const warmingListeners = new Set(rt.listeners.warmingNames());
  const clusters = [...s.get(TypeUrl.Cluster).resources.values()];
  const listeners = [...s.get(TypeUrl.Listener).resources.values()];
  const configs: object[] = [
    { '@type': `${ADMIN}.BootstrapConfigDump`, bootstrap: { node: boot.node, dynamic_resources: { ads_config: { grpc_services: [{ envoy_grpc: { cluster_name: 'xds-grpc' }, target: boot.pilot }] } } } },
    {
      '@type': `${ADMIN}.ClustersConfigDump`,
      version_info: s.get(TypeUrl.Cluster).version,
      dynamic_active_clusters: clusters.filter((e) => !warmingClusters.has(e.name)).map((e) => ({ ...stamp(e), cluster: { '@type': TypeUrl.Cluster, ...(e.body as object) } })),
      dynamic_warming_clusters: clusters.filter((e) => warmingClusters.has(e.name)).map((e) => ({ ...stamp(e), cluster: { '@type': TypeUrl.Cluster, ...(e.body as object) } })),
    },
    {
      '@type': `${ADMIN}.ListenersConfigDump`,
      version_info: s.get(TypeUrl.Listener).version,
      dynamic_listeners: listeners.map((e) => ({
        name: e.name,
        [warmingListeners.has(e.name) ? 'warming_state' : 'active_state']: { ...stamp(e), listener: { '@type': TypeUrl.Listener, ...(e.body as object) } },
      })),
    },
    {
      '@type': `${ADMIN}.RoutesConfigDump`,
      dynamic_route_configs: [...s.get(TypeUrl.RouteConfiguration).resources.values()].map((e) => ({ ...stamp(e), route_config: { '@type': TypeUrl.RouteConfiguration, ...(e.body as object) } })),
    },
  ];
  if (includeEds) {
    configs.push({
      '@type': `${ADMIN}.EndpointsConfigDump`,
      dynamic_endpoint_configs: [...s.get(TypeUrl.ClusterLoadAssignment).resources.values()].map((e) => ({ ...stamp(e), endpoint_config: { '@type': TypeUrl.ClusterLoadAssignment, ...(e.body as object) } })),
    });
  }
  return { configs };
}
