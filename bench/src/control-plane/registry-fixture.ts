import type { Service, Workload } from '@mizzen/mesh-model';

/**
 * A synthetic service registry like a Kubernetes cluster's: `count` services
 * `svc-NNNN.<ns>.svc.cluster.local` (one HTTP port 8080, selector app=svc-NNNN), each with
 * `perService` workloads on loopback addresses (127.100.x.y, never dialled). The records carry
 * source kind `Kubernetes`, which Galley's registration expiry and config sweeps leave alone.
 */
export interface RegistryFixture {
  services: Service[];
  workloads: Workload[];
}

export const fixtureServiceName = (i: number): string => `svc-${String(i).padStart(4, '0')}`;

/** A loopback address for workload number `n` (0-based, < 65536). */
export const fixtureAddress = (n: number, block = 100): string => `127.${block}.${(n >> 8) & 255}.${n & 255}`;

export function registryFixture(count: number, perService: number, namespace = 'default'): RegistryFixture {
  const services: Service[] = [];
  const workloads: Workload[] = [];
  for (let i = 0; i < count; i++) {
    const name = fixtureServiceName(i);
    services.push({
      hostname: `${name}.${namespace}.svc.cluster.local`,
      namespace,
      ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }],
      resolution: 'STATIC',
      location: 'MESH_INTERNAL',
      selector: { app: name },
      source: { kind: 'Kubernetes', namespace, name },
    });
    for (let j = 0; j < perService; j++) workloads.push(fixtureWorkload(name, j, fixtureAddress(i * perService + j), namespace));
  }
  return { services, workloads };
}

export function fixtureWorkload(service: string, index: number, address: string, namespace = 'default', port = 8080): Workload {
  const name = `${service}-${index}`;
  return {
    name,
    namespace,
    address,
    ports: { http: port },
    labels: { app: service, version: 'v1' },
    serviceAccount: 'default',
    source: { kind: 'Kubernetes', namespace, name },
  };
}
