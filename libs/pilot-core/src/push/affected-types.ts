import { matchesSelector, type ProxyNode } from '@mizzen/mesh-model';
import { TypeUrl, type ResourceTypeUrl } from '@mizzen/xds-types';
import { boundGateways, type MeshSnapshot } from '../snapshot/mesh-snapshot';
import type { MeshChange } from './mesh-change';

const ALL: readonly ResourceTypeUrl[] = [TypeUrl.Listener, TypeUrl.RouteConfiguration, TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment];

/**
 * Which resource types of `proxy` a change can alter ("does this change touch this proxy",
 * Istio's ProxyNeedsPush + per-type filtering). Conservative: a returned type is regenerated and
 * pushed only if its content hash differs; an omitted type is never regenerated.
 */
export function affectedTypes(change: MeshChange, proxy: ProxyNode, before: MeshSnapshot, after: MeshSnapshot): Set<ResourceTypeUrl> {
  if (change.full) return new Set(ALL);
  const out = new Set<ResourceTypeUrl>();
  const add = (...t: ResourceTypeUrl[]) => t.forEach((x) => out.add(x));
  for (const key of change.configs) {
    const [kind, namespace, name] = key.split('/');
    switch (kind) {
      case 'VirtualService':
        // HTTP routes live in RDS; tcp/tls routes in the L4 listeners (LDS).
        if (virtualServiceTouches(proxy, namespace, name, before) || virtualServiceTouches(proxy, namespace, name, after)) add(TypeUrl.RouteConfiguration, TypeUrl.Listener);
        break;
      case 'DestinationRule':
        if (proxy.type === 'router' || proxy.type === 'sidecar' || proxy.type === 'proxyless') add(TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.RouteConfiguration);
        break;
      case 'Gateway':
        if (proxy.type === 'router' && (gatewaySelects(proxy, namespace, name, before) || gatewaySelects(proxy, namespace, name, after))) {
          add(TypeUrl.Listener, TypeUrl.RouteConfiguration);
        }
        break;
      case 'Sidecar':
        if (proxy.type !== 'router' && proxy.namespace === namespace) add(...ALL);
        break;
      default:
        // ServiceEntry/WorkloadEntry reach proxies through the registry records derived from them.
        break;
    }
  }
  if (change.services.size) {
    // Services shape clusters, virtual hosts and (sidecar TCP/TLS ports, proxyless targets) listeners.
    add(TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.RouteConfiguration);
    if (proxy.type !== 'router') add(TypeUrl.Listener);
  }
  if (change.workloads.size) add(TypeUrl.ClusterLoadAssignment);
  return out;
}

function virtualServiceTouches(proxy: ProxyNode, namespace: string, name: string, snap: MeshSnapshot): boolean {
  const vs = snap.config('VirtualService', namespace, name);
  if (!vs || vs.kind !== 'VirtualService') return false;
  const gws = boundGateways(vs);
  if (proxy.type !== 'router') return gws.includes('mesh');
  return snap.gatewaysSelecting(proxy.labels).some((g) => gws.includes(`${g.metadata.namespace}/${g.metadata.name}`));
}

function gatewaySelects(proxy: ProxyNode, namespace: string, name: string, snap: MeshSnapshot): boolean {
  const gw = snap.config('Gateway', namespace, name);
  return !!gw && gw.kind === 'Gateway' && matchesSelector(proxy.labels, gw.spec.selector ?? {});
}
