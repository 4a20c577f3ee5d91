import { describe, expect, it } from 'vitest';
import { cluster } from './cluster';
import { Issues } from './issues';

const eds = { name: 'outbound|9080||reviews', type: 'EDS' as const, edsClusterConfig: { edsConfig: { ads: {} } } };

describe('cluster slow start', () => {
  it('reads round_robin_lb_config.slow_start_config with Envoy defaults (aggression 1, 10%)', () => {
    const issues = new Issues();
    const c = cluster({ ...eds, lbPolicy: 'ROUND_ROBIN', roundRobinLbConfig: { slowStartConfig: { slowStartWindow: { seconds: 60 } } } }, issues);
    expect(issues.errors).toEqual([]);
    expect(c.slowStart).toEqual({ windowMs: 60_000, aggression: 1, minWeightPercent: 10 });
  });

  it('reads least_request_lb_config with aggression and minimum weight', () => {
    const issues = new Issues();
    const c = cluster({ ...eds, lbPolicy: 'LEAST_REQUEST', leastRequestLbConfig: { slowStartConfig: { slowStartWindow: { seconds: 30 }, aggression: { defaultValue: 2, runtimeKey: 'k' }, minWeightPercent: { value: 20 } } } }, issues);
    expect(c.slowStart).toEqual({ windowMs: 30_000, aggression: 2, minWeightPercent: 20 });
  });

  it('rejects an LB config that does not belong to the policy, and bad values, with field paths', () => {
    const issues = new Issues();
    cluster({ ...eds, lbPolicy: 'RANDOM', leastRequestLbConfig: { slowStartConfig: { slowStartWindow: { seconds: 30 }, minWeightPercent: { value: 120 } } } }, issues);
    expect(issues.errors).toEqual([
      { path: 'leastRequestLbConfig', message: 'requires lbPolicy LEAST_REQUEST' },
      { path: 'leastRequestLbConfig.slowStartConfig.minWeightPercent', message: 'must be a percentage in [0, 100]' },
    ]);
  });
});
