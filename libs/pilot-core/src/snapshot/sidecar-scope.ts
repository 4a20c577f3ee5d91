import type { Destination, Sidecar } from '@mizzen/config-api';
import { hostsOverlap, matchesSelector, type ProxyNode, type Service } from '@mizzen/mesh-model';

/** One `namespace/dnsName` egress host of a Sidecar, with `.` already resolved. */
export interface EgressHost {
  namespace: string; // a namespace, `*`, or `~` (none)
  host: string;
}

/** The outbound view a Sidecar resource gives a proxy. Absent Sidecar = everything visible. */
export interface SidecarScope {
  sidecar?: { namespace: string; name: string };
  egress?: readonly EgressHost[];
  outboundTrafficPolicy?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /**
   * `outboundTrafficPolicy.egressProxy` (ALLOW_ANY only, validated): where traffic to unknown
   * hosts goes instead of the passthrough cluster; `namespace` resolves its short host.
   */
  egressProxy?: { destination: Destination; namespace: string };
}

/**
 * Picks the Sidecar for a proxy as Istio does: one in the proxy's namespace whose workloadSelector
 * matches, else that namespace's selector-less one, else the root namespace's selector-less one.
 * https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export function selectSidecar(sidecars: readonly Sidecar[], proxy: ProxyNode, rootNamespace: string): Sidecar | undefined {
  const inNs = sidecars.filter((s) => s.metadata.namespace === proxy.namespace);
  return (
    inNs.find((s) => s.spec.workloadSelector?.labels && matchesSelector(proxy.labels, s.spec.workloadSelector.labels)) ??
    inNs.find((s) => !s.spec.workloadSelector) ??
    sidecars.find((s) => s.metadata.namespace === rootNamespace && !s.spec.workloadSelector)
  );
}

export function sidecarScope(sc: Sidecar | undefined): SidecarScope {
  if (!sc) return {};
  const egress: EgressHost[] = [];
  for (const l of sc.spec.egress ?? []) {
    for (const h of l.hosts) {
      const i = h.indexOf('/');
      const ns = i < 0 ? '*' : h.slice(0, i);
      egress.push({ namespace: ns === '.' ? sc.metadata.namespace : ns, host: i < 0 ? h : h.slice(i + 1) });
    }
  }
  return {
    sidecar: { namespace: sc.metadata.namespace, name: sc.metadata.name },
    egress: sc.spec.egress ? egress : undefined,
    outboundTrafficPolicy: sc.spec.outboundTrafficPolicy?.mode,
    ...(sc.spec.outboundTrafficPolicy?.egressProxy ? { egressProxy: { destination: sc.spec.outboundTrafficPolicy.egressProxy, namespace: sc.metadata.namespace } } : {}),
  };
}

/** Whether the scope's egress hosts admit a service (namespace `~` admits nothing). */
export function scopeAdmits(scope: SidecarScope, svc: Service): boolean {
  if (!scope.egress) return true;
  return scope.egress.some((e) => e.namespace !== '~' && (e.namespace === '*' || e.namespace === svc.namespace) && hostsOverlap(e.host, svc.hostname));
}
