import { TypeUrl, type Cluster, type ClusterLoadAssignment } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { localityMatches } from './common/locality-lb';
import { generate } from './registry';

// Bookinfo fixture: reviews v1 and v3 in region1/zone1, v2 in region1/zone2; productpage in region1/zone1.
const dr = (lb: string, outlier = true) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    ${outlier ? 'outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s}' : 'connectionPool: {tcp: {maxConnections: 100}}'}
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting: ${lb}
`;

const cla = (yaml: string): ClusterLoadAssignment =>
  generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY, names: ['outbound|9080||reviews.default.svc.cluster.local'] }, TypeUrl.ClusterLoadAssignment)[0].body as ClusterLoadAssignment;

describe('locality load balancing in EDS', () => {
  it('with outlier detection, ranks the proxy zone first and the other zone as failover', () => {
    const a = cla(dr('{enabled: true}'));
    const byPriority = a.endpoints?.map((e) => [e.locality?.zone, e.priority ?? 0]);
    expect(byPriority).toEqual([['zone1', 0], ['zone2', 1]]);
  });

  it('without outlier detection, keeps every locality at priority 0 (Istio)', () => {
    expect(cla(dr('{enabled: true}', false)).endpoints?.every((e) => !e.priority)).toBe(true);
  });

  it('distribute sets locality weights and locality-weighted LB on the cluster', () => {
    const yaml = dr(`{distribute: [{from: "region1/zone1/*", to: {"region1/zone1/*": 80, "region1/zone2/*": 20}}]}`);
    const a = cla(yaml);
    expect(a.endpoints?.map((e) => [e.locality?.zone, e.loadBalancingWeight?.value])).toEqual([['zone1', 80], ['zone2', 20]]);
    const c = generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).find((x) => x.name === 'outbound|9080||reviews.default.svc.cluster.local')?.body as Cluster;
    expect(c.commonLbConfig?.localityWeightedLbConfig).toEqual({});
  });

  it('matches locality patterns with wildcards', () => {
    expect(localityMatches('region1/*', 'region1/zone2/sub')).toBe(true);
    expect(localityMatches('region1/zone1', 'region1/zone2')).toBe(false);
    expect(localityMatches('*', '')).toBe(true);
  });
});
