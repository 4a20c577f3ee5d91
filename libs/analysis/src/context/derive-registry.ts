import type { ServiceEntry, WorkloadEntry } from '@mizzen/config-api';
import { protocolFromPortName, resolveHost, type Service, type Workload } from '@mizzen/mesh-model';

/**
 * Registry records a ServiceEntry / WorkloadEntry stands for, as Galley derives them (one Service
 * per host, resolved in the entry's namespace). The analysis re-derives them from the config being
 * analyzed, so that a file replacing a live ServiceEntry is seen as the mesh would see it once applied.
 */
export function servicesOf(se: ServiceEntry): Service[] {
  const { namespace, name } = se.metadata;
  const spec = se.spec;
  const ports = (spec.ports ?? []).map((p) => ({
    name: p.name,
    number: p.number,
    protocol: protocolFromPortName(p.name, p.protocol),
    ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
  }));
  const endpoints = spec.workloadSelector
    ? undefined
    : (spec.endpoints ?? []).filter((e) => e.address).map((e) => ({ address: e.address ?? '', ...(e.labels ? { labels: e.labels } : {}) }));
  return [...new Set(spec.hosts)].map((host) => ({
    hostname: resolveHost(host, namespace),
    namespace,
    ports,
    resolution: spec.resolution === 'DYNAMIC_DNS' ? 'DNS' : (spec.resolution ?? 'NONE'),
    location: spec.location ?? 'MESH_EXTERNAL',
    ...(spec.workloadSelector?.labels ? { selector: spec.workloadSelector.labels } : {}),
    ...(endpoints ? { endpoints } : {}),
    ...(spec.exportTo?.length ? { exportTo: spec.exportTo } : {}),
    source: { kind: 'ServiceEntry', namespace, name },
  }));
}

export function workloadOf(we: WorkloadEntry): Workload {
  const { namespace, name } = we.metadata;
  return {
    name,
    namespace,
    address: we.spec.address ?? '',
    ...(we.spec.ports ? { ports: we.spec.ports } : {}),
    labels: we.spec.labels ?? {},
    serviceAccount: we.spec.serviceAccount || 'default',
    source: { kind: 'WorkloadEntry', namespace, name },
  };
}
