import { TypeUrl, type Cluster, type XdsResource } from '@mizzen/xds-types';
import { parseOutboundClusterName } from '../../naming/cluster-name';
import { outboundClusters } from '../common/outbound-cluster';
import type { GenerationContext, Generator } from '../types';

/**
 * Proxyless gRPC CDS: the requested outbound clusters, restricted to what gRPC accepts
 * (EDS clusters; ROUND_ROBIN or RING_HASH; LEAST_REQUEST/RANDOM fall back to ROUND_ROBIN since
 * grpc-js NACKs them). Plaintext: grpc-js-xds only takes upstream TLS from certificate provider
 * instances named in its bootstrap (gRFC A29), never SDS, so auto mTLS and DestinationRule `tls`
 * are dropped here (a TLS transport socket would make it NACK the cluster).
 */
export const proxylessClusters: Generator = {
  typeUrl: TypeUrl.Cluster,
  generate({ snapshot, proxy, names }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    for (const name of [...new Set(names ?? [])].sort()) {
      const key = parseOutboundClusterName(name);
      const svc = key && snapshot.service(key.host);
      const port = svc?.ports.find((p) => p.number === key?.port);
      if (!svc || !port) continue;
      const cluster = outboundClusters(snapshot, svc, port, proxy).find((c) => c.name === name);
      if (!cluster || cluster.type !== 'EDS') continue;
      out.push({ typeUrl: TypeUrl.Cluster, name, body: forGrpc(cluster) });
    }
    return out;
  },
};

function forGrpc(c: Cluster): Cluster {
  const lbPolicy = c.lbPolicy === 'RING_HASH' ? 'RING_HASH' : 'ROUND_ROBIN';
  const { typedExtensionProtocolOptions: _h2, altStatName: _alt, maglevLbConfig: _m, transportSocket: _ts, transportSocketMatches: _tsm, ...rest } = c;
  return { ...rest, lbPolicy };
}
