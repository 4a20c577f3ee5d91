import { protocolFromPortName, type Service, type ServicePort, serviceFqdn } from '@mizzen/mesh-model';

/** A Kubernetes `v1` Service in analyzed files: the registry service it stands for, as Istio's Kubernetes registry reads it. */
export function isKubernetesService(obj: Record<string, unknown>): boolean {
  return obj.apiVersion === 'v1' && obj.kind === 'Service';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringMap = (v: unknown): Record<string, string> | undefined =>
  isRecord(v) && Object.values(v).every((x) => typeof x === 'string') ? (v as Record<string, string>) : undefined;

/**
 * The registry service of a Kubernetes Service: `<name>.<namespace>.svc.cluster.local`, its
 * selector, and its ports with the protocol from `appProtocol` or the port name. Returns an error
 * text when the object is not a usable Service.
 */
export function kubernetesService(obj: Record<string, unknown>, defaultNamespace: string): Service | string {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const spec = isRecord(obj.spec) ? obj.spec : {};
  if (typeof meta.name !== 'string' || !meta.name) return 'metadata.name: required';
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNamespace;
  const ports: ServicePort[] = [];
  for (const raw of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isRecord(raw) || typeof raw.port !== 'number') return 'spec.ports: each port needs a number';
    const name = typeof raw.name === 'string' ? raw.name : '';
    const appProtocol = typeof raw.appProtocol === 'string' ? raw.appProtocol : undefined;
    ports.push({
      name,
      number: raw.port,
      protocol: protocolFromPortName(name, appProtocol),
      ...(typeof raw.targetPort === 'number' ? { targetPort: raw.targetPort } : {}),
    });
  }
  const selector = stringMap(spec.selector);
  return {
    hostname: serviceFqdn(meta.name, namespace),
    namespace,
    ports,
    resolution: 'STATIC',
    location: 'MESH_INTERNAL',
    ...(selector ? { selector } : {}),
    source: { kind: 'Kubernetes', namespace, name: meta.name },
  };
}
