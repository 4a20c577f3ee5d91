import { resolveHost, type Service, type ServicePort } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';

export interface ProxylessTarget {
  /** The listener/route name exactly as requested (`host:port`). */
  name: string;
  service: Service;
  port: ServicePort;
}

/**
 * Resolves an `xds:///host[:port]` target name requested by a gRPC client. Short hosts resolve in
 * the client's namespace; without a port, the service must have exactly one port.
 */
export function resolveTarget(snapshot: MeshSnapshot, name: string, clientNamespace: string): ProxylessTarget | undefined {
  const m = /^(.*?)(?::(\d+))?$/.exec(name);
  if (!m) return undefined;
  const host = resolveHost(m[1], clientNamespace, snapshot.mesh.domainSuffix);
  const service = snapshot.service(host);
  if (!service) return undefined;
  const port = m[2] ? service.ports.find((p) => p.number === Number(m[2])) : service.ports.length === 1 ? service.ports[0] : undefined;
  return port ? { name, service, port } : undefined;
}
