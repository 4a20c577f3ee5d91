import type { ClusterLoadAssignment, LocalityLbEndpoints } from '@mizzen/xds-types';
import type { ResolvedEndpoint } from '../../snapshot/endpoint';
import type { LocalityGroup } from './locality-lb';

/**
 * The endpoint metadata namespace a cluster's `transportSocketMatches` are matched against: Istio
 * puts `{tlsMode: istio}` there for endpoints with a sidecar, which auto mTLS sends mTLS to.
 */
export const TRANSPORT_SOCKET_MATCH = 'envoy.transport_socket_match';

/**
 * Endpoints grouped by locality. Each locality carries a `loadBalancingWeight` (the sum of its
 * endpoints' weights): gRPC's xDS client requires it (gRFC A27), Envoy ignores it unless
 * locality-weighted LB is on.
 */
export function buildLoadAssignment(clusterName: string, endpoints: readonly ResolvedEndpoint[]): ClusterLoadAssignment {
  const byLocality = new Map<string, ResolvedEndpoint[]>();
  for (const e of endpoints) {
    const list = byLocality.get(e.locality) ?? [];
    list.push(e);
    byLocality.set(e.locality, list);
  }
  const groups = [...byLocality.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([locality, eps]) => ({ locality, priority: 0, endpoints: eps }));
  return buildGroupedAssignment(clusterName, groups);
}

/** A ClusterLoadAssignment from locality groups with priorities and optional locality weights. */
export function buildGroupedAssignment(clusterName: string, localityGroups: readonly LocalityGroup[]): ClusterLoadAssignment {
  const groups: LocalityLbEndpoints[] = localityGroups.map(({ locality, priority, weight, endpoints: eps }) => {
      const [region, zone, subZone] = locality.split('/');
      return {
        locality: { ...(region ? { region } : {}), ...(zone ? { zone } : {}), ...(subZone ? { subZone } : {}) },
        lbEndpoints: eps.map((e) => ({
          endpoint: { address: { socketAddress: { address: e.address, portValue: e.port } } },
          healthStatus: 'HEALTHY' as const,
          ...(e.tlsMode ? { metadata: { filterMetadata: { [TRANSPORT_SOCKET_MATCH]: { tlsMode: e.tlsMode } } } } : {}),
          loadBalancingWeight: { value: e.weight },
        })),
        loadBalancingWeight: { value: weight ?? eps.reduce((s, e) => s + e.weight, 0) },
        ...(priority ? { priority } : {}),
      };
    });
  return { clusterName, endpoints: groups };
}
