import { TypeUrl, type Cluster, type XdsResource } from '@mizzen/xds-types';
import { BLACKHOLE_CLUSTER, inboundClusterName, PASSTHROUGH_CLUSTER } from '../../naming/cluster-name';
import { durationFromMs } from '@mizzen/xds-types';
import { buildLoadAssignment } from '../common/endpoints';
import { http2Options, outboundClusters } from '../common/outbound-cluster';
import type { GenerationContext, Generator } from '../types';
import { applyTrafficPolicy } from '../common/traffic-policy';
import { inboundConnectionPool } from './inbound-connection-pool';
import { inboundPortsFor } from './inbound-ports';

/** Sidecar and gateway CDS: outbound clusters of every visible service port, inbound clusters, and Istio's two sentinel clusters. */
export const meshClusters: Generator = {
  typeUrl: TypeUrl.Cluster,
  generate({ snapshot, proxy }: GenerationContext): XdsResource[] {
    const clusters: Cluster[] = [];
    for (const svc of snapshot.servicesForProxy(proxy)) {
      for (const port of svc.ports) clusters.push(...outboundClusters(snapshot, svc, port, proxy, proxy.type === 'router'));
    }
    const sidecar = snapshot.sidecarFor(proxy);
    for (const p of inboundPortsFor(snapshot, proxy)) {
      const [host, portStr] = splitHostPort(p.target);
      const name = inboundClusterName(p.port);
      const inbound: Cluster = {
        name,
        type: 'STATIC',
        connectTimeout: durationFromMs(snapshot.mesh.connectTimeoutMs),
        lbPolicy: 'ROUND_ROBIN',
        ...http2Options(p.protocol),
        loadAssignment: buildLoadAssignment(name, [{ address: host, port: Number(portStr), labels: {}, locality: '', weight: 1 }]),
      };
      // Circuit breakers, timeouts and keepalive of the Sidecar's inbound connection pool.
      const connectionPool = inboundConnectionPool(sidecar, p.port);
      clusters.push(connectionPool ? applyTrafficPolicy(inbound, { connectionPool }, snapshot.mesh.connectTimeoutMs) : inbound);
    }
    clusters.push(
      { name: PASSTHROUGH_CLUSTER, type: 'ORIGINAL_DST', lbPolicy: 'CLUSTER_PROVIDED', connectTimeout: durationFromMs(snapshot.mesh.connectTimeoutMs) },
      { name: BLACKHOLE_CLUSTER, type: 'STATIC', connectTimeout: durationFromMs(snapshot.mesh.connectTimeoutMs) },
    );
    return clusters.sort((a, b) => (a.name < b.name ? -1 : 1)).map((body) => ({ typeUrl: TypeUrl.Cluster, name: body.name, body }));
  },
};

function splitHostPort(target: string): [string, string] {
  const i = target.lastIndexOf(':');
  return [target.slice(0, i), target.slice(i + 1)];
}
