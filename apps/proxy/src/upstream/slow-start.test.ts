import { describe, expect, it } from 'vitest';
import { createLoadBalancer, type LbHost, SlowStartLb } from './load-balancer';

const host = (key: string, addedAtMs?: number, active = 0): LbHost => ({ key, weight: 1, active, addedAtMs });
/** A deterministic uniform sequence in [0, 1). */
const sequence = () => {
  let i = 0;
  return () => ((i++ * 0.618033988749895) % 1);
};
const settings = { windowMs: 60_000, aggression: 1, minWeightPercent: 10 };

function share(lb: SlowStartLb<LbHost>, n: number): Record<string, number> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const k = lb.pick()?.key ?? '-';
    seen[k] = (seen[k] ?? 0) + 1;
  }
  return seen;
}

describe('slow start', () => {
  it('ramps a new host from the minimum weight to full weight over the window', () => {
    const lb = new SlowStartLb(createLoadBalancer('ROUND_ROBIN', [], sequence()), [], 'ROUND_ROBIN', { ...settings, aggression: 2 }, sequence());
    expect(lb.factor(0)).toBe(0.1);
    expect(lb.factor(15_000)).toBeCloseTo(0.5); // (1/4) ^ (1/2)
    expect(lb.factor(60_000)).toBe(1);
  });

  it('round robin: a host 6 s into a 60 s window gets about 10% of the share of a warm one', () => {
    const now = 1_000_000;
    const hosts = [host('old'), host('new', now - 6_000)];
    const lb = new SlowStartLb(createLoadBalancer('ROUND_ROBIN', hosts, sequence()), hosts, 'ROUND_ROBIN', settings, sequence(), () => now);
    const seen = share(lb, 1100);
    expect(seen.new).toBeGreaterThan(80);
    expect(seen.new).toBeLessThan(120);
  });

  it('least request scores effective weight / (active + 1)', () => {
    const now = 1_000_000;
    const hosts = [host('old', undefined, 3), host('new', now - 6_000, 0)];
    const lb = new SlowStartLb(createLoadBalancer('LEAST_REQUEST', hosts, sequence()), hosts, 'LEAST_REQUEST', settings, sequence(), () => now);
    // old: 1 / 4 = 0.25 beats new: 0.1 / 1
    expect(lb.pick()?.key).toBe('old');
  });

  it('hands over to the plain balancer once every host is past the window', () => {
    let now = 1_000_000;
    const hosts = [host('a', now), host('b', now - 59_000)];
    const lb = new SlowStartLb(createLoadBalancer('ROUND_ROBIN', hosts, () => 0), hosts, 'ROUND_ROBIN', settings, () => 0, () => now);
    now += 60_000;
    const keys = [lb.pick()?.key, lb.pick()?.key, lb.pick()?.key, lb.pick()?.key];
    expect(keys).toEqual(['a', 'b', 'a', 'b']);
  });

  it('only wraps round robin and least request', () => {
    expect(createLoadBalancer('ROUND_ROBIN', [host('a')], sequence(), 2, settings)).toBeInstanceOf(SlowStartLb);
    expect(createLoadBalancer('RANDOM', [host('a')], sequence(), 2, settings)).not.toBeInstanceOf(SlowStartLb);
  });
});
