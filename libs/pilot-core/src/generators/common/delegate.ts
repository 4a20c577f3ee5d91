import type { HTTPMatchRequest, HTTPRoute, VirtualService } from '@mizzen/config-api';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';

/**
 * Istio VirtualService delegation: a root route with `delegate` is replaced by the delegate's HTTP
 * routes, each match being the root match AND the delegate match. A delegate `uri` must narrow the
 * root's (a delegate prefix outside the root prefix can never match and is dropped); header and
 * query conditions are combined. Delegates do not delegate further (Istio allows one level).
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#Delegate
 */
export function expandDelegate(snapshot: MeshSnapshot, root: HTTPRoute, rootNamespace: string): Array<{ route: HTTPRoute; namespace: string }> {
  const d = root.delegate;
  if (!d?.name) return [];
  const ns = d.namespace ?? rootNamespace;
  const cfg = snapshot.config('VirtualService', ns, d.name) as VirtualService | undefined;
  if (!cfg) return [];
  const out: Array<{ route: HTTPRoute; namespace: string }> = [];
  for (const r of cfg.spec.http ?? []) {
    if (r.delegate) continue;
    const rootMatches = root.match?.length ? root.match : [undefined];
    const childMatches = r.match?.length ? r.match : [undefined];
    const merged: HTTPMatchRequest[] = [];
    for (const a of rootMatches) for (const b of childMatches) {
      const m = mergeMatch(a, b);
      if (m) merged.push(m);
    }
    if (merged.length === 0 && (root.match?.length || r.match?.length)) continue;
    out.push({ route: { ...r, ...(merged.length && merged.some((m) => Object.keys(m).length) ? { match: merged } : { match: undefined }) }, namespace: ns });
  }
  return out;
}

function mergeMatch(root: HTTPMatchRequest | undefined, child: HTTPMatchRequest | undefined): HTTPMatchRequest | undefined {
  if (!root) return child ?? {};
  if (!child) return root;
  const rootPrefix = root.uri?.prefix ?? root.uri?.exact;
  const childPath = child.uri?.prefix ?? child.uri?.exact;
  if (rootPrefix !== undefined && childPath !== undefined && !childPath.startsWith(rootPrefix)) return undefined;
  return {
    ...root,
    ...child,
    uri: child.uri ?? root.uri,
    headers: { ...root.headers, ...child.headers },
    queryParams: { ...root.queryParams, ...child.queryParams },
    withoutHeaders: { ...root.withoutHeaders, ...child.withoutHeaders },
  };
}
