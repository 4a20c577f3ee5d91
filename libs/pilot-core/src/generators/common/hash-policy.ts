import type { Destination } from '@mizzen/config-api';
import { resolveHost } from '@mizzen/mesh-model';
import type { HashPolicy } from '@mizzen/xds-types';
import type { RouteContext } from './destination';
import { toDuration } from './durations';

/**
 * DestinationRule `loadBalancer.consistentHash` becomes a route hash policy (the cluster gets
 * RING_HASH/MAGLEV). Subset policy overrides the top-level one, as in Istio.
 */
export function hashPolicyFor(dest: Destination, ctx: RouteContext): HashPolicy[] {
  const host = resolveHost(dest.host, ctx.configNamespace, ctx.snapshot.mesh.domainSuffix);
  const dr = ctx.snapshot.destinationRuleFor(host, ctx.client);
  if (!dr) return [];
  const subset = dest.subset ? dr.spec.subsets?.find((s) => s.name === dest.subset) : undefined;
  const ch = subset?.trafficPolicy?.loadBalancer?.consistentHash ?? dr.spec.trafficPolicy?.loadBalancer?.consistentHash;
  if (!ch) return [];
  if (ch.httpHeaderName) return [{ header: { headerName: ch.httpHeaderName } }];
  if (ch.httpCookie) {
    return [{ cookie: { name: ch.httpCookie.name, ...(ch.httpCookie.path ? { path: ch.httpCookie.path } : {}), ...(ch.httpCookie.ttl ? { ttl: toDuration(ch.httpCookie.ttl) } : {}) } }];
  }
  if (ch.useSourceIp) return [{ connectionProperties: { sourceIp: true } }];
  if (ch.httpQueryParameterName) return [{ queryParameter: { name: ch.httpQueryParameterName } }];
  return [];
}
