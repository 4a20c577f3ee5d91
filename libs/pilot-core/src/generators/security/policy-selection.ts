import type { AnyConfig, LabelSelector } from '@mizzen/config-api';
import { matchesSelector, type ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';

type SecurityKind = 'PeerAuthentication' | 'RequestAuthentication' | 'AuthorizationPolicy';
type SecurityConfig<K extends SecurityKind> = Extract<AnyConfig, { kind: K }>;

/**
 * The security policies of one kind that apply to a workload, as Istio's `getConfigsForWorkload`:
 * policies in the root namespace (mesh-wide, or any namespace's workloads their selector
 * matches) and in the workload's namespace whose selector is a subset of its labels. Policies
 * bound with `targetRef(s)` (Gateway API, waypoints) never apply to sidecars. Oldest first.
 * https://istio.io/latest/docs/reference/config/security/authorization-policy/#AuthorizationPolicy
 */
export function policiesForWorkload<K extends SecurityKind>(snapshot: MeshSnapshot, kind: K, proxy: ProxyNode): SecurityConfig<K>[] {
  return snapshot.configsOfKind(kind).filter((c) => policyAppliesTo(c, snapshot.mesh.rootNamespace, proxy));
}

/** Whether one security policy applies to a workload (see {@link policiesForWorkload}). */
export function policyAppliesTo(c: SecurityConfig<SecurityKind>, root: string, proxy: ProxyNode): boolean {
  const ns = c.metadata.namespace;
  if (ns !== root && ns !== proxy.namespace) return false;
  const spec: { selector?: LabelSelector; targetRef?: unknown; targetRefs?: unknown[] } = c.spec;
  if (spec.targetRef || spec.targetRefs?.length) return false;
  return matchesSelector(proxy.labels, spec.selector?.matchLabels ?? {});
}
