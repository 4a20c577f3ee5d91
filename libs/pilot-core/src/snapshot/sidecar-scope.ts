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
  /** Every egress host of every listener (what the proxy may reach on some port). */
  egress?: readonly EgressHost[];
  /**
   * Per service port: the hosts of the egress listener bound to that port, else those of the
   * port-less (catch-all) listener; none when there is neither. Set with `egress`.
   */
  egressByPort?: { ports: ReadonlyMap<number, readonly EgressHost[]>; catchAll?: readonly EgressHost[] };
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
  const ports = new Map<number, EgressHost[]>();
  let catchAll: EgressHost[] | undefined;
  for (const l of sc.spec.egress ?? []) {
    const hosts = l.hosts.map((h) => egressHost(h, sc.metadata.namespace));
    egress.push(...hosts);
    const port = l.port?.number;
    if (port) ports.set(port, [...(ports.get(port) ?? []), ...hosts]);
    else catchAll = [...(catchAll ?? []), ...hosts];
  }
  return {
    sidecar: { namespace: sc.metadata.namespace, name: sc.metadata.name },
    ...(sc.spec.egress ? { egress, egressByPort: { ports, catchAll } } : {}),
    outboundTrafficPolicy: sc.spec.outboundTrafficPolicy?.mode,
    ...(sc.spec.outboundTrafficPolicy?.egressProxy ? { egressProxy: { destination: sc.spec.outboundTrafficPolicy.egressProxy, namespace: sc.metadata.namespace } } : {}),
  };
}

/** `namespace/dnsName` (`.` = the Sidecar's namespace; no namespace = any). */
function egressHost(h: string, sidecarNamespace: string): EgressHost {
  const i = h.indexOf('/');
  const ns = i < 0 ? '*' : h.slice(0, i);
  return { namespace: ns === '.' ? sidecarNamespace : ns, host: i < 0 ? h : h.slice(i + 1) };
}

/** Whether the scope's egress hosts admit a service on some port (namespace `~` admits nothing). */
export function scopeAdmits(scope: SidecarScope, svc: Service): boolean {
  if (!scope.egress) return true;
  return hostsAdmit(scope.egress, svc);
}

/**
 * Whether the scope admits a service on one of its ports: the egress listener bound to that port
 * decides, else the port-less listener (Istio binds a listener with a `port` to that port; the
 * port-less one catches every other port).
 * https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
 */
export function scopeAdmitsPort(scope: SidecarScope, svc: Service, port: number): boolean {
  if (!scope.egressByPort) return true;
  return hostsAdmit(scope.egressByPort.ports.get(port) ?? scope.egressByPort.catchAll ?? [], svc);
}

function hostsAdmit(hosts: readonly EgressHost[], svc: Service): boolean {
  return hosts.some((e) => e.namespace !== '~' && (e.namespace === '*' || e.namespace === svc.namespace) && hostsOverlap(e.host, svc.hostname));
}
