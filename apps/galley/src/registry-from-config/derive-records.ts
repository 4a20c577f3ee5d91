import {
  type InlineEndpoint,
  type Location,
  type Protocol,
  type RecordSource,
  type Resolution,
  type Service,
  type ServicePort,
  type Workload,
  protocolFromPortName,
  resolveHost,
} from '@mizzen/mesh-model';
import { serviceRecordKey, workloadRecordKey } from '../stores/registry-keys';
import type { ServiceEntry, ServiceEntrySpec, WorkloadEntry, WorkloadEntrySpec } from '@mizzen/config-api';

export interface DerivedRecord {
  key: string;
  record: Service | Workload;
}

/** Derivation result: records plus notes about what could not be represented (logged). */
export interface Derivation {
  records: DerivedRecord[];
  notes: string[];
}

/** The kinds that stand for registry records. */
export const REGISTRY_KINDS: ReadonlySet<string> = new Set(['ServiceEntry', 'WorkloadEntry']);

const PROTOCOLS: ReadonlySet<string> = new Set(['HTTP', 'HTTP2', 'GRPC', 'HTTPS', 'TLS', 'TCP', 'MONGO', 'REDIS', 'MYSQL']);

/**
 * The registry records a ServiceEntry or WorkloadEntry stands for. Pure.
 * - ServiceEntry: one Service per host (`resolveHost(host, namespace)`), Istio defaults
 *   (resolution NONE, location MESH_EXTERNAL); endpoints inline or found by `workloadSelector`.
 * - WorkloadEntry: one Workload named after the entry, service account `default` unless set.
 */
export function deriveRecords(cfg: ServiceEntry | WorkloadEntry): Derivation {
  return cfg.kind === 'ServiceEntry' ? deriveServices(cfg.metadata, cfg.spec) : deriveWorkload(cfg.metadata, cfg.spec);
}

export function deriveServices(meta: { name: string; namespace: string }, spec: ServiceEntrySpec): Derivation {
  const notes: string[] = [];
  const source: RecordSource = { kind: 'ServiceEntry', namespace: meta.namespace, name: meta.name };
  const ports: ServicePort[] = (spec.ports ?? []).map((p) => ({
    name: p.name,
    number: p.number,
    protocol: portProtocol(p.protocol, p.name),
    ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
  }));
  const endpoints: InlineEndpoint[] = [];
  (spec.endpoints ?? []).forEach((e, i) => {
    if (!e.address) {
      notes.push(`spec.endpoints[${i}]: endpoints without an address (network gateways) are not supported; skipped`);
      return;
    }
    endpoints.push(stripUndefined({ address: e.address, ports: e.ports, labels: e.labels, locality: e.locality, network: e.network, weight: e.weight, serviceAccount: e.serviceAccount }));
  });
  const resolution = serviceResolution(spec.resolution, notes);
  const selector = spec.workloadSelector?.labels;
  const records = [...new Set(spec.hosts)].map((host): DerivedRecord => {
    const service: Service = stripUndefined({
      hostname: resolveHost(host, meta.namespace),
      namespace: meta.namespace,
      ports,
      resolution,
      location: spec.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' : ('MESH_EXTERNAL' as Location),
      selector,
      endpoints: spec.workloadSelector ? undefined : endpoints,
      addresses: spec.addresses?.length ? spec.addresses : undefined,
      subjectAltNames: spec.subjectAltNames?.length ? [...new Set(spec.subjectAltNames)] : undefined,
      exportTo: spec.exportTo?.length ? spec.exportTo : undefined,
      source,
    });
    return { key: serviceRecordKey(service), record: service };
  });
  return { records, notes };
}

export function deriveWorkload(meta: { name: string; namespace: string }, spec: WorkloadEntrySpec): Derivation {
  if (!spec.address) return { records: [], notes: ['spec.address: WorkloadEntries without an address (network gateways) are not supported; skipped'] };
  const workload: Workload = stripUndefined({
    name: meta.name,
    namespace: meta.namespace,
    address: spec.address,
    ports: spec.ports,
    labels: spec.labels ?? {},
    serviceAccount: spec.serviceAccount || 'default',
    locality: spec.locality,
    network: spec.network,
    weight: spec.weight,
    source: { kind: 'WorkloadEntry', namespace: meta.namespace, name: meta.name },
  });
  return { records: [{ key: workloadRecordKey(workload), record: workload }], notes: [] };
}

/** The port's `protocol` (case-insensitive, Istio's names), else from its name as Istio does. */
export function portProtocol(protocol: string | undefined, name: string): Protocol {
  const p = protocol?.toUpperCase();
  if (p && PROTOCOLS.has(p)) return p as Protocol;
  if (p === 'GRPC-WEB') return 'GRPC';
  if (p) return 'UNKNOWN';
  return protocolFromPortName(name);
}

function serviceResolution(r: string | undefined, notes: string[]): Resolution {
  switch (r) {
    case undefined:
    case 'NONE':
      return 'NONE';
    case 'STATIC':
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      return r;
    case 'DYNAMIC_DNS':
      notes.push('spec.resolution: DYNAMIC_DNS is served as DNS');
      return 'DNS';
    default:
      notes.push(`spec.resolution: unknown "${r}", served as NONE`);
      return 'NONE';
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
