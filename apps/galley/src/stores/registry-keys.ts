import { RegistryBucket } from '@mizzen/contracts';
import type { Service, Workload } from '@mizzen/mesh-model';

/** The registry key of a service record (wildcard hosts are encoded by the contract). */
export function serviceRecordKey(s: Pick<Service, 'namespace' | 'hostname'>): string {
  return RegistryBucket.serviceKey(s.namespace, s.hostname);
}

export function workloadRecordKey(w: Pick<Workload, 'namespace' | 'name'>): string {
  return RegistryBucket.workloadKey(w.namespace, w.name);
}
