import type { Destination } from '@mizzen/config-api';
import { resolveHost } from '@mizzen/mesh-model';
import { outboundClusterName } from '../../naming/cluster-name';
import type { MeshSnapshot, RuleClient } from '../../snapshot/mesh-snapshot';

/** What a route's destinations are resolved against. */
export interface RouteContext {
  snapshot: MeshSnapshot;
  /** Namespace of the VirtualService (short hosts resolve in it). */
  configNamespace: string;
  /** Port of the virtual host being built (used when a destination names no port). */
  port: number;
  /** The proxy the routes are for (DestinationRule selection: namespace precedence, workloadSelector). */
  client: RuleClient;
}

/**
 * The outbound cluster for a destination. The port is the destination's, else the service's only
 * port, else the virtual host's port (Istio's rule for multi-port services).
 */
export function destinationCluster(dest: Destination, ctx: RouteContext): string {
  const { host, port, subset } = resolveDestination(dest, ctx);
  return outboundClusterName(port, subset, host);
}

/** The destination's FQDN, port (as destinationCluster picks it) and subset ('' for none). */
export function resolveDestination(dest: Destination, ctx: RouteContext): { host: string; port: number; subset: string } {
  const host = resolveHost(dest.host, ctx.configNamespace, ctx.snapshot.mesh.domainSuffix);
  const svc = ctx.snapshot.service(host);
  let port = dest.port?.number;
  if (port === undefined) port = svc && svc.ports.length === 1 ? svc.ports[0].number : ctx.port;
  return { host, port, subset: dest.subset ?? '' };
}
