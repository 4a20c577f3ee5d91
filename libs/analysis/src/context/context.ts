import type { AnyConfig, DestinationRule, Gateway, ServiceEntry, Sidecar, VirtualService, WorkloadEntry } from '@mizzen/config-api';
import { hostsOverlap, type Labels, matchesSelector, resolveHost, type Service, type Workload } from '@mizzen/mesh-model';
import { servicesOf, workloadOf } from './derive-registry';
import { fullName } from './names';
import { isVisible } from './visibility';

/** What is analyzed: validated config plus the service registry. */
export interface AnalysisInput {
  configs: readonly AnyConfig[];
  /**
   * Registry services (registered workloads' services, Kubernetes Services). Records derived from
   * ServiceEntries are ignored: they are re-derived from `configs`.
   */
  services: readonly Service[];
  /** Registry workloads; records derived from WorkloadEntries are re-derived from `configs`. */
  workloads: readonly Workload[];
  /**
   * Whether `workloads` is the mesh's real set of running workloads (the live registry was read).
   * When false (files alone), checks that need running workloads are skipped. Default true.
   */
  workloadsKnown?: boolean;
}

/** Indexed, read-only view of the input that analyzers query. Built once per analysis. */
export interface AnalysisContext {
  readonly virtualServices: readonly VirtualService[];
  readonly destinationRules: readonly DestinationRule[];
  readonly gateways: readonly Gateway[];
  readonly sidecars: readonly Sidecar[];
  readonly services: readonly Service[];
  readonly workloads: readonly Workload[];
  readonly workloadsKnown: boolean;
  /** The service a destination host (resolved FQDN) names, as seen from `clientNamespace`; wildcard ServiceEntry hosts match too. */
  findService(fqdn: string, clientNamespace: string): Service | undefined;
  /** Services whose host overlaps `pattern` (which may be a wildcard), visible from `clientNamespace`. */
  servicesMatching(pattern: string, clientNamespace: string): Service[];
  /** A Gateway by `namespace/name`. */
  gateway(qualifiedName: string): Gateway | undefined;
  /** The DestinationRule that applies to `fqdn` for clients in `clientNamespace`, with Pilot's precedence (rules without a workloadSelector). */
  destinationRuleFor(fqdn: string, clientNamespace: string): DestinationRule | undefined;
  /** DestinationRules of `namespace` for `fqdn` that apply only to the workloads their `workloadSelector` selects. */
  workloadDestinationRules(fqdn: string, namespace: string): DestinationRule[];
  /**
   * Labels of the instances behind a service: its inline endpoints, or the workloads its selector
   * picks; undefined when unknowable (a selector while the running workloads are not known).
   */
  instanceLabels(service: Service): Labels[] | undefined;
}

const byName = <T extends AnyConfig>(a: T, b: T): number => (fullName(a) < fullName(b) ? -1 : fullName(a) > fullName(b) ? 1 : 0);

function ofKind<K extends AnyConfig['kind']>(configs: readonly AnyConfig[], kind: K): Extract<AnyConfig, { kind: K }>[] {
  return configs.filter((c): c is Extract<AnyConfig, { kind: K }> => c.kind === kind).sort(byName);
}

export function buildContext(input: AnalysisInput): AnalysisContext {
  const configs = input.configs;
  const serviceEntries: ServiceEntry[] = ofKind(configs, 'ServiceEntry');
  const workloadEntries: WorkloadEntry[] = ofKind(configs, 'WorkloadEntry');
  const services = [...input.services.filter((s) => s.source.kind !== 'ServiceEntry'), ...serviceEntries.flatMap(servicesOf)];
  const workloads = [...input.workloads.filter((w) => w.source.kind !== 'WorkloadEntry'), ...workloadEntries.map(workloadOf)];
  const gateways = ofKind(configs, 'Gateway');
  const gatewaysByName = new Map(gateways.map((g) => [fullName(g), g]));
  const destinationRules = ofKind(configs, 'DestinationRule');
  const visible = (s: Service, ns: string): boolean => isVisible(s.exportTo, s.namespace, ns);

  return {
    virtualServices: ofKind(configs, 'VirtualService'),
    destinationRules,
    gateways,
    sidecars: ofKind(configs, 'Sidecar'),
    services,
    workloads,
    workloadsKnown: input.workloadsKnown ?? true,
    findService(fqdn, clientNamespace) {
      const candidates = services.filter((s) => visible(s, clientNamespace));
      return candidates.find((s) => s.hostname === fqdn) ?? candidates.find((s) => s.hostname.startsWith('*') && hostsOverlap(s.hostname, fqdn));
    },
    servicesMatching(pattern, clientNamespace) {
      return services.filter((s) => visible(s, clientNamespace) && hostsOverlap(pattern, s.hostname));
    },
    gateway: (name) => gatewaysByName.get(name),
    destinationRuleFor(fqdn, clientNamespace) {
      const hostOf = (dr: DestinationRule): string => resolveHost(dr.spec.host, dr.metadata.namespace);
      const candidates = destinationRules.filter((dr) => !dr.spec.workloadSelector && isVisible(dr.spec.exportTo, dr.metadata.namespace, clientNamespace) && hostsOverlap(hostOf(dr), fqdn));
      const serviceNamespace = services.find((s) => s.hostname === fqdn)?.namespace;
      // Pilot's precedence: the client's namespace, then the service's, then any; exact host before wildcard.
      const rank = (dr: DestinationRule): number => {
        const ns = dr.metadata.namespace;
        const nsRank = ns === clientNamespace ? 0 : ns === serviceNamespace ? 1 : 2;
        return nsRank * 2 + (hostOf(dr) === fqdn ? 0 : 1);
      };
      return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
    },
    workloadDestinationRules(fqdn, namespace) {
      return destinationRules.filter((dr) => dr.spec.workloadSelector && dr.metadata.namespace === namespace && hostsOverlap(resolveHost(dr.spec.host, namespace), fqdn));
    },
    instanceLabels(service) {
      if (service.endpoints) return service.endpoints.map((e) => e.labels ?? {});
      if (!service.selector || !(input.workloadsKnown ?? true)) return undefined;
      return workloads.filter((w) => w.namespace === service.namespace && matchesSelector(w.labels, service.selector)).map((w) => w.labels);
    },
  };
}
