import { type Cluster, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const dr = (lb: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: ${lb}
`;
const reviews = (yaml: string) =>
  generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).find((c) => c.name === 'outbound|9080||reviews.default.svc.cluster.local')?.body as Cluster;

describe('DestinationRule warmup as Envoy slow start', () => {
  it('ROUND_ROBIN: window, aggression and minimum weight percent', () => {
    expect(reviews(dr('{simple: ROUND_ROBIN, warmup: {duration: 60s, aggression: 2, minimumPercent: 20}}')).roundRobinLbConfig).toEqual({
      slowStartConfig: { slowStartWindow: { seconds: 60 }, aggression: { defaultValue: 2, runtimeKey: 'upstream.slow_start.aggression' }, minWeightPercent: { value: 20 } },
    });
  });

  it('LEAST_REQUEST with the deprecated warmupDurationSecs', () => {
    expect(reviews(dr('{simple: LEAST_REQUEST, warmupDurationSecs: 30s}')).leastRequestLbConfig).toEqual({ slowStartConfig: { slowStartWindow: { seconds: 30 } } });
  });

  it('not for RANDOM or consistent hash (Envoy has no slow start there)', () => {
    const c = reviews(dr('{simple: RANDOM, warmup: {duration: 60s}}'));
    expect(c.roundRobinLbConfig ?? c.leastRequestLbConfig).toBeUndefined();
  });
});
