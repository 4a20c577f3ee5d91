import type { AnyConfig, DestinationRule, Gateway, Sidecar, VirtualService } from '@mizzen/config-api';
import {
  type Labels,
  type Service,
  type ServicePort,
  type Workload,
  endpointPort,
  hostsOverlap,
  matchesSelector,
  type ProxyNode,
  resolveHost,
} from '@mizzen/mesh-model';
import type { MeshConfig } from '../mesh-config';
import { compareConfigs } from './config-order';
import { hasIstioSidecar, type ResolvedEndpoint } from './endpoint';
import { type SidecarScope, scopeAdmits, selectSidecar, sidecarScope } from './sidecar-scope';
import { isVisible } from './visibility';
import { selectsWorkloads, WorkloadIndex } from './workload-index';

/** What DestinationRule selection reads of the client proxy (a ProxyNode is one). */
export type RuleClient = Pick<ProxyNode, 'namespace' | 'labels'>;

export interface SnapshotInput {
  configs: readonly AnyConfig[];
  services: readonly Service[];
  workloads: readonly Workload[];
  mesh: MeshConfig;
  /**
   * Key sets Pilot resolved for RequestAuthentication rules (generators/security/jwks-sources.ts):
   * source key (the `jwksUri`, or the issuer's OpenID discovery URL) -> the JWKS JSON as fetched.
   * An input like any config: generation inlines it, so a rotated key set is a new snapshot and
   * new listener content (and version). Absent keys get a JWKS that verifies no token.
   */
  jwks?: ReadonlyMap<string, string>;
}

/**
 * The immutable view of the whole mesh that generation reads (Istio's PushContext, without the
 * god object): indexes built once per debounced change, lookups only. Never mutated after build;
 * the lookups generation repeats for every proxy (visible services, VirtualServices per host,
 * DestinationRule per host) are memoized inside, which changes no result: the inputs are frozen.
 */
export class MeshSnapshot {
  private readonly servicesByHost: ReadonlyMap<string, Service>;
  private readonly sortedServices: readonly Service[];
  private readonly virtualServices: readonly VirtualService[];
  private readonly destinationRules: readonly DestinationRule[];
  /** namespace -> DestinationRules with a `workloadSelector` there (they apply only in their namespace). */
  private readonly selectorRulesByNamespace: ReadonlyMap<string, readonly DestinationRule[]>;
  private readonly gateways: readonly Gateway[];
  private readonly sidecars: readonly Sidecar[];
  private readonly workloads: WorkloadIndex;
  /** namespace -> services that select workloads there (endpoint-change fan-out). */
  private readonly selectorServicesByNamespace: ReadonlyMap<string, readonly Service[]>;
  private readonly memo = new Map<string, unknown>();
  private readonly configsByKey: ReadonlyMap<string, AnyConfig>;
  private readonly configsByKind: ReadonlyMap<AnyConfig['kind'], readonly AnyConfig[]>;
  private readonly keySets: ReadonlyMap<string, string>;

  private constructor(
    readonly version: number,
    readonly mesh: MeshConfig,
    input: SnapshotInput,
  ) {
    const services = [...input.services].sort((a, b) => cmp(a.hostname, b.hostname) || cmp(a.namespace, b.namespace));
    const byHost = new Map<string, Service>();
    for (const s of services) if (!byHost.has(s.hostname)) byHost.set(s.hostname, s);
    this.servicesByHost = byHost;
    this.sortedServices = Object.freeze([...byHost.values()]);
    const ofKind = <K extends AnyConfig['kind']>(k: K) =>
      Object.freeze(input.configs.filter((c): c is Extract<AnyConfig, { kind: K }> => c.kind === k).sort(compareConfigs));
    this.virtualServices = ofKind('VirtualService');
    this.destinationRules = ofKind('DestinationRule');
    const selectorRules = new Map<string, DestinationRule[]>();
    for (const dr of this.destinationRules) if (dr.spec.workloadSelector) selectorRules.set(dr.metadata.namespace, [...(selectorRules.get(dr.metadata.namespace) ?? []), dr]);
    this.selectorRulesByNamespace = selectorRules;
    this.gateways = ofKind('Gateway');
    this.sidecars = ofKind('Sidecar');
    this.workloads = new WorkloadIndex([...input.workloads].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name)));
    const selecting = new Map<string, Service[]>();
    for (const s of this.sortedServices) if (selectsWorkloads(s)) selecting.set(s.namespace, [...(selecting.get(s.namespace) ?? []), s]);
    this.selectorServicesByNamespace = selecting;
    this.configsByKey = new Map(input.configs.map((c) => [`${c.kind}/${c.metadata.namespace}/${c.metadata.name}`, c]));
    const byKind = new Map<AnyConfig['kind'], AnyConfig[]>();
    for (const c of [...input.configs].sort(compareConfigs)) {
      const list = byKind.get(c.kind);
      if (list) list.push(c);
      else byKind.set(c.kind, [c]);
    }
    this.configsByKind = byKind;
    this.keySets = new Map(input.jwks ?? []);
  }

  /** The key set Pilot resolved for a JWKS source key (see {@link SnapshotInput.jwks}), if any. */
  resolvedJwks(sourceKey: string): string | undefined {
    return this.keySets.get(sourceKey);
  }

  /** Every config of one kind, oldest first then namespace/name (Istio's precedence order). */
  configsOfKind<K extends AnyConfig['kind']>(kind: K): readonly Extract<AnyConfig, { kind: K }>[] {
    return (this.configsByKind.get(kind) ?? []).filter((c): c is Extract<AnyConfig, { kind: K }> => c.kind === kind);
  }

  /** One config resource by kind, namespace and name. */
  config(kind: AnyConfig['kind'], namespace: string, name: string): AnyConfig | undefined {
    return this.configsByKey.get(`${kind}/${namespace}/${name}`);
  }

  static build(input: SnapshotInput, version: number): MeshSnapshot {
    return new MeshSnapshot(version, input.mesh, input);
  }

  static empty(mesh: MeshConfig): MeshSnapshot {
    return new MeshSnapshot(0, mesh, { configs: [], services: [], workloads: [], mesh });
  }

  service(hostname: string): Service | undefined {
    return this.servicesByHost.get(hostname);
  }

  allServices(): readonly Service[] {
    return this.sortedServices;
  }

  /** Services a proxy in `namespace` may reach (service exportTo). Sorted by hostname. */
  servicesVisibleTo(namespace: string): Service[] {
    return this.memoized(`visible\0${namespace}`, () => this.sortedServices.filter((s) => isVisible(s.exportTo, s.namespace, namespace))).slice();
  }

  /** The Sidecar resource that scopes a proxy, if any (gateways and proxyless clients have none). */
  sidecarFor(proxy: ProxyNode): Sidecar | undefined {
    if (proxy.type !== 'sidecar') return undefined;
    return selectSidecar(this.sidecars, proxy, this.mesh.rootNamespace);
  }

  /** The Sidecar scope of a proxy (gateways and proxyless clients have none). */
  scopeFor(proxy: ProxyNode): SidecarScope {
    return sidecarScope(this.sidecarFor(proxy));
  }

  /**
   * Services a proxy may reach: exportTo, then its Sidecar's egress hosts, plus the Sidecar's
   * `egressProxy` service (its clusters must exist for the catch-all route). Sorted by hostname.
   */
  servicesForProxy(proxy: ProxyNode): Service[] {
    const sc = this.sidecarFor(proxy);
    if (!sc?.spec.egress) return this.servicesVisibleTo(proxy.namespace);
    const scope = sidecarScope(sc);
    const egressProxy = scope.egressProxy && resolveHost(scope.egressProxy.destination.host, scope.egressProxy.namespace, this.mesh.domainSuffix);
    const key = `scoped\0${proxy.namespace}\0${sc.metadata.namespace}/${sc.metadata.name}`;
    return this.memoized(key, () => this.servicesVisibleTo(proxy.namespace).filter((s) => scopeAdmits(scope, s) || s.hostname === egressProxy)).slice();
  }

  allGateways(): readonly Gateway[] {
    return this.gateways;
  }

  /** Gateways whose selector matches a gateway workload's labels (any namespace, Istio's default). */
  gatewaysSelecting(labels: Labels): Gateway[] {
    return this.gateways.filter((g) => matchesSelector(labels, g.spec.selector ?? {}));
  }

  /**
   * VirtualServices bound to `gateway` (`mesh`, or `namespace/name` of a Gateway) that a client in
   * `clientNamespace` can see. A VS without `gateways` binds to `mesh`.
   */
  virtualServicesFor(gateway: string, clientNamespace: string): VirtualService[] {
    const all = this.memoized(`vs\0${gateway}\0${clientNamespace}`, () =>
      this.virtualServices.filter((vs) => {
        if (!isVisible(vs.spec.exportTo, vs.metadata.namespace, clientNamespace) && gateway === 'mesh') return false;
        return boundGateways(vs).includes(gateway);
      }),
    );
    return all.slice();
  }

  /** VirtualServices (bound to `gateway`) with a host matching `hostname`. */
  virtualServicesForHost(hostname: string, gateway: string, clientNamespace: string): VirtualService[] {
    const bound = this.memoized(`vsHosts\0${gateway}\0${clientNamespace}`, () =>
      this.virtualServicesFor(gateway, clientNamespace).map((vs) => ({ vs, hosts: (vs.spec.hosts ?? []).map((h) => resolveHost(h, vs.metadata.namespace, this.mesh.domainSuffix)) })),
    );
    if (bound.length === 0) return [];
    return bound.filter((b) => b.hosts.some((h) => hostsOverlap(h, hostname))).map((b) => b.vs);
  }

  /**
   * The DestinationRule for a host as seen from a client proxy, as Istio's SidecarScope picks it
   * for outbound traffic: a rule of the client's own namespace whose `workloadSelector` matches the
   * client's labels wins (exact host before wildcard, then config order); otherwise the rules
   * without a selector, with Istio's precedence: the client's namespace, then the service's
   * namespace, then the root namespace; exact host before wildcard. Selector rules never apply
   * across namespaces.
   * https://istio.io/latest/docs/reference/config/networking/destination-rule/#DestinationRule (workloadSelector)
   * https://istio.io/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration
   */
  destinationRuleFor(hostname: string, client: RuleClient): DestinationRule | undefined {
    if (this.destinationRules.length === 0) return undefined;
    const catchAll = this.memoized(`dr\0${client.namespace}\0${hostname}`, () => this.findDestinationRule(hostname, client.namespace));
    const selected = this.selectorRulesByNamespace.get(client.namespace);
    if (!selected) return catchAll;
    const mine = this.mostSpecific(
      selected.filter((dr) => matchesSelector(client.labels, dr.spec.workloadSelector?.matchLabels ?? {})),
      hostname,
    );
    if (!mine) return catchAll;
    // Istio takes the most specific host of the namespace first, then the selector: a catch-all
    // rule of the client's namespace for the exact host beats a selected wildcard rule.
    const exact = (dr: DestinationRule) => resolveHost(dr.spec.host, dr.metadata.namespace, this.mesh.domainSuffix) === hostname;
    if (catchAll && catchAll.metadata.namespace === client.namespace && exact(catchAll) && !exact(mine)) return catchAll;
    return mine;
  }

  private findDestinationRule(hostname: string, clientNamespace: string): DestinationRule | undefined {
    const candidates = this.destinationRules.filter(
      (dr) =>
        !dr.spec.workloadSelector &&
        isVisible(dr.spec.exportTo, dr.metadata.namespace, clientNamespace) &&
        hostsOverlap(resolveHost(dr.spec.host, dr.metadata.namespace, this.mesh.domainSuffix), hostname),
    );
    if (candidates.length === 0) return undefined;
    const svcNs = this.servicesByHost.get(hostname)?.namespace;
    const rank = (dr: DestinationRule): number => {
      const exact = resolveHost(dr.spec.host, dr.metadata.namespace, this.mesh.domainSuffix) === hostname ? 0 : 1;
      const ns = dr.metadata.namespace;
      const nsRank = ns === clientNamespace ? 0 : ns === svcNs ? 1 : ns === this.mesh.rootNamespace ? 2 : 3;
      return nsRank * 2 + exact;
    };
    return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
  }

  /** Of `rules` (in config order), the first whose host is `hostname`, else the first wildcard covering it. */
  private mostSpecific(rules: readonly DestinationRule[], hostname: string): DestinationRule | undefined {
    let wildcard: DestinationRule | undefined;
    for (const dr of rules) {
      const host = resolveHost(dr.spec.host, dr.metadata.namespace, this.mesh.domainSuffix);
      if (host === hostname) return dr;
      if (!wildcard && hostsOverlap(host, hostname)) wildcard = dr;
    }
    return wildcard;
  }

  /** Endpoints of one service port, optionally restricted to a subset's labels. Sorted, stable. */
  endpoints(service: Service, port: ServicePort, subsetLabels?: Labels): ResolvedEndpoint[] {
    const out: ResolvedEndpoint[] = [];
    if (service.endpoints) {
      for (const e of service.endpoints) {
        const labels = e.labels ?? {};
        if (!matchesSelector(labels, subsetLabels)) continue;
        out.push({ address: e.address, port: endpointPort(port, e.ports), labels, locality: e.locality ?? '', weight: e.weight || 1, serviceAccount: e.serviceAccount, ...tlsMode(hasIstioSidecar(undefined, labels)) });
      }
    } else if (service.selector) {
      for (const w of this.workloads.select(service.namespace, service.selector)) {
        if (!matchesSelector(w.labels, subsetLabels)) continue;
        out.push({ address: w.address, port: endpointPort(port, w.ports), labels: w.labels, locality: w.locality ?? '', weight: w.weight || 1, serviceAccount: w.serviceAccount, ...tlsMode(hasIstioSidecar(w.source, w.labels)) });
      }
    }
    return out.sort((a, b) => cmp(a.locality, b.locality) || cmp(a.address, b.address) || a.port - b.port);
  }

  /** A workload by namespace and name. */
  workload(namespace: string, name: string): Workload | undefined {
    return this.workloads.workload(namespace, name);
  }

  /** Hostnames of the services whose selector selects `w` (whose endpoints `w` is one of). */
  servicesSelecting(w: Workload): string[] {
    return (this.selectorServicesByNamespace.get(w.namespace) ?? []).filter((s) => matchesSelector(w.labels, s.selector)).map((s) => s.hostname);
  }

  private memoized<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }
}

const tlsMode = (sidecar: boolean): Pick<ResolvedEndpoint, 'tlsMode'> => (sidecar ? { tlsMode: 'istio' } : {});

/** The gateways a VirtualService binds to, qualified as `namespace/name` (or `mesh`). */
export function boundGateways(vs: VirtualService): string[] {
  const gws = vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : ['mesh'];
  return gws.map((g) => qualifyGateway(g, vs.metadata.namespace));
}

export function qualifyGateway(gateway: string, namespace: string): string {
  if (gateway === 'mesh' || gateway.includes('/')) return gateway;
  return `${namespace}/${gateway}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
