import type { ConnectRequest } from '@mizzen/contracts';
import { type RecordSource, type Service, type ServicePort, type Workload, matchesSelector, serviceFqdn } from '@mizzen/mesh-model';

/** Records registration writes, and so may replace or delete. */
export const ownsRegistered = (s: RecordSource): boolean => s.kind === 'Registration';

/** The workload a connecting proxy stands for, owned by registration. */
export function registeredWorkload(req: ConnectRequest): Workload {
  const w = req.workload;
  return {
    ...w,
    serviceAccount: w.serviceAccount || 'default',
    source: { kind: 'Registration', namespace: w.namespace, name: w.name },
  };
}

/**
 * The service a registering workload declares, like a Kubernetes Service selecting it:
 * `<name>.<namespace>.svc.cluster.local`, selecting `app: <the workload's app label, else the
 * service name>`. Ports are merged with the already registered service (by port number; the
 * first registration's definition of a port wins), so replicas declaring different ports add up.
 */
export function registeredService(existing: Service | undefined, req: ConnectRequest): Service | undefined {
  if (!req.service) return undefined;
  const { namespace, labels } = req.workload;
  const ports = new Map<number, ServicePort>();
  for (const p of existing?.ports ?? []) ports.set(p.number, p);
  for (const p of req.service.ports) if (!ports.has(p.number)) ports.set(p.number, p);
  return {
    hostname: serviceFqdn(req.service.name, namespace),
    namespace,
    ports: [...ports.values()].sort((a, b) => a.number - b.number),
    resolution: 'STATIC',
    location: 'MESH_INTERNAL',
    selector: existing?.selector ?? { app: labels.app ?? req.service.name },
    source: { kind: 'Registration', namespace, name: req.service.name },
  };
}

/** Registered services in `namespace` that no registered workload backs any more. */
export function orphanedServices(services: readonly Service[], workloads: readonly Workload[], namespace: string): Service[] {
  const live = workloads.filter((w) => w.namespace === namespace && ownsRegistered(w.source));
  return services.filter((s) => s.namespace === namespace && ownsRegistered(s.source) && !live.some((w) => matchesSelector(w.labels, s.selector ?? {})));
}
