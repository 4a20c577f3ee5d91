import type { VirtualService } from '@mizzen/config-api';
import { resolveHost } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import { fullName, MESH_GATEWAY, refOf } from '../context/names';
import { exportScopes } from '../context/visibility';
import { msg } from '../message-types';

/**
 * Istio's `virtualservice.ConflictingMeshGatewayHostsAnalyzer`: two VirtualServices bound to the
 * mesh gateway (no `gateways`, or one listing `mesh`) must not define the same host for the same
 * export scope; which one sidecars use is undefined. Hosts compare as FQDNs keyed by scope
 * (`<scope>/<fqdn>`, the scope `*` for every namespace), exactly, as Istio does: `*.example.com` and
 * `a.example.com` do not conflict.
 */
export const conflictingMeshGatewayHostsAnalyzer: Analyzer = {
  name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  description: 'Checks if multiple virtual services associated with the mesh gateway have conflicting hosts',
  codes: ['IST0109'],
  analyze(ctx) {
    const byScopedHost = new Map<string, VirtualService[]>();
    for (const vs of ctx.virtualServices) {
      if (!boundToMesh(vs)) continue;
      const ns = vs.metadata.namespace;
      for (const scope of exportScopes(vs.spec.exportTo, ns)) {
        for (const host of new Set((vs.spec.hosts ?? []).map((h) => resolveHost(h, ns)))) {
          const key = `${scope}/${host}`;
          byScopedHost.set(key, [...(byScopedHost.get(key) ?? []), vs]);
        }
      }
    }
    return [...byScopedHost].flatMap(([scopedHost, list]) => {
      if (list.length < 2) return [];
      const names = list.map(fullName).sort().join(',');
      return list.map((vs) => msg.conflictingMeshGatewayVirtualServiceHosts(refOf(vs), names, scopedHost));
    });
  },
};

function boundToMesh(vs: VirtualService): boolean {
  const gws = vs.spec.gateways ?? [];
  return gws.length === 0 || gws.includes(MESH_GATEWAY);
}
