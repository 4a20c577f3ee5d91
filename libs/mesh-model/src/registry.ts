import type { Labels } from './labels';

/** Istio's protocol names, selected from port names/appProtocol (`http-web` -> HTTP). */
export type Protocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'HTTPS' | 'TLS' | 'TCP' | 'MONGO' | 'REDIS' | 'MYSQL' | 'UNKNOWN';

export interface ServicePort {
  name: string;
  number: number;
  protocol: Protocol;
  /** Port on the workload when it differs from `number` (ServiceEntry `targetPort`). */
  targetPort?: number;
}

export type Resolution = 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN';
export type Location = 'MESH_INTERNAL' | 'MESH_EXTERNAL';

/** Where a registry record came from; used to keep sources from clobbering each other. */
export interface RecordSource {
  kind: 'ServiceEntry' | 'WorkloadEntry' | 'Registration' | 'Kubernetes';
  namespace: string;
  name: string;
}

/** An endpoint listed inline in a ServiceEntry (or a workload selected for a service). */
export interface InlineEndpoint {
  address: string;
  ports?: Readonly<Record<string, number>>;
  labels?: Labels;
  locality?: string;
  network?: string;
  weight?: number;
  serviceAccount?: string;
}

/** A service in the registry: a host with ports and a way to find its endpoints. */
export interface Service {
  /** Fully qualified host, e.g. `reviews.default.svc.cluster.local`. */
  hostname: string;
  namespace: string;
  ports: readonly ServicePort[];
  resolution: Resolution;
  location: Location;
  /** Selects workloads (same namespace) by labels; absent when endpoints are inline. */
  selector?: Labels;
  /** Inline endpoints (ServiceEntry `endpoints`). */
  endpoints?: readonly InlineEndpoint[];
  addresses?: readonly string[];
  /**
   * ServiceEntry `subjectAltNames`: SANs the servers' certificates carry, accepted by auto mTLS and
   * ISTIO_MUTUAL besides the endpoints' SPIFFE identities (Istio adds them to the service accounts).
   */
  subjectAltNames?: readonly string[];
  /** Istio exportTo: `*` (default), `.` (own namespace) or namespace names. */
  exportTo?: readonly string[];
  source: RecordSource;
}

/** A workload instance: a pod, a VM (WorkloadEntry) or a process registered by its proxy. */
export interface Workload {
  name: string;
  namespace: string;
  address: string;
  /** Port name -> port on the workload (WorkloadEntry `ports`). */
  ports?: Readonly<Record<string, number>>;
  labels: Labels;
  serviceAccount: string;
  /** `region/zone/subzone`. */
  locality?: string;
  network?: string;
  weight?: number;
  source: RecordSource;
}

export const workloadKey = (w: Pick<Workload, 'namespace' | 'name'>): string => `${w.namespace}/${w.name}`;
export const serviceKey = (s: Pick<Service, 'namespace' | 'hostname'>): string => `${s.namespace}/${s.hostname}`;

/**
 * The port a workload receives a service port's traffic on: the workload's own port of the same
 * name (WorkloadEntry semantics), else the service's targetPort, else the service port.
 */
export function endpointPort(port: ServicePort, ports?: Readonly<Record<string, number>>): number {
  return ports?.[port.name] ?? port.targetPort ?? port.number;
}

/**
 * Protocol from a port name or appProtocol as Istio does:
 * https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export function protocolFromPortName(name: string | undefined, appProtocol?: string): Protocol {
  const raw = (appProtocol ?? name ?? '').toLowerCase();
  const prefix = raw.split('-')[0];
  switch (prefix) {
    case 'http':
      return 'HTTP';
    case 'http2':
    case 'h2c':
      return 'HTTP2';
    case 'grpc':
    case 'grpc-web':
      return 'GRPC';
    case 'https':
      return 'HTTPS';
    case 'tls':
      return 'TLS';
    case 'tcp':
      return 'TCP';
    case 'mongo':
      return 'MONGO';
    case 'redis':
      return 'REDIS';
    case 'mysql':
      return 'MYSQL';
    default:
      return 'UNKNOWN';
  }
}

export function isHttpProtocol(p: Protocol): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'GRPC';
}
