import { TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { parseOutboundClusterName } from '../../naming/cluster-name';
import type { GenerationContext, Generator } from '../types';
import { buildGroupedAssignment, buildLoadAssignment } from './endpoints';
import { localityGroups } from './locality-lb';
import { effectivePolicy } from './traffic-policy';

/**
 * EDS: one ClusterLoadAssignment per requested outbound cluster, with locality priorities and
 * weights computed for the requesting proxy's locality (see locality-lb.ts). Unknown services and
 * subsets get an empty assignment (the cluster exists but has no endpoints: 503 UH).
 */
export const edsGenerator: Generator = {
  typeUrl: TypeUrl.ClusterLoadAssignment,
  generate({ snapshot, proxy, names }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    for (const name of [...new Set(names ?? [])].sort()) {
      const key = parseOutboundClusterName(name);
      if (!key) continue;
      const svc = snapshot.service(key.host);
      const port = svc?.ports.find((p) => p.number === key.port);
      if (!svc || !port) {
        out.push({ typeUrl: TypeUrl.ClusterLoadAssignment, name, body: buildLoadAssignment(name, []) });
        continue;
      }
      const dr = snapshot.destinationRuleFor(svc.hostname, proxy);
      const subset = key.subset ? dr?.spec.subsets?.find((s) => s.name === key.subset) : undefined;
      const endpoints = key.subset && !subset ? [] : snapshot.endpoints(svc, port, subset?.labels);
      const policy = effectivePolicy(dr, key.subset, key.port);
      const groups = localityGroups(endpoints, {
        proxyLocality: proxy.locality,
        proxyLabels: proxy.labels,
        setting: policy?.loadBalancer?.localityLbSetting,
        outlierDetection: !!policy?.outlierDetection,
      });
      out.push({ typeUrl: TypeUrl.ClusterLoadAssignment, name, body: buildGroupedAssignment(name, groups) });
    }
    return out;
  },
};
