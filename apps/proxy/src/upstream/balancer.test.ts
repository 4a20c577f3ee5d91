import { describe, expect, it } from 'vitest';
import type { HealthStatus } from '../config/model';
import { seededRng } from '../routing';
import { type BalancedHost, type BalancerSettings, ClusterBalancer } from './balancer';

interface TestHost extends BalancedHost {
  ejected: boolean;
}

const h = (key: string, o: { priority?: number; locality?: string; localityWeight?: number; health?: HealthStatus; weight?: number } = {}): TestHost => ({
  key,
  weight: o.weight ?? 1,
  active: 0,
  ejected: false,
  endpoint: { host: key, port: 80, weight: o.weight ?? 1, health: o.health ?? 'HEALTHY', locality: o.locality ?? '', priority: o.priority ?? 0, localityWeight: o.localityWeight ?? 0 },
});

const settings = (o: Partial<BalancerSettings> = {}): BalancerSettings => ({
  lbPolicy: 'ROUND_ROBIN',
  panicThreshold: 0.5,
  localityWeighted: false,
  hashLb: { minimumRingSize: 1024, maximumRingSize: 8 * 1024 * 1024, tableSize: 65537 },
  choiceCount: 2,
  ...o,
});

function tally(b: ClusterBalancer<TestHost>, n = 1000): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const k = b.pick({ attempt: 0 })?.key ?? 'none';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('cluster balancer', () => {
  it('keeps all traffic on priority 0 while it is healthy', () => {
    const b = new ClusterBalancer([h('a'), h('b'), h('c', { priority: 1 })], settings(), 1.4, seededRng(1));
    expect(tally(b)).toEqual({ a: 500, b: 500 });
  });

  it('previous_priorities: a retry that excludes the priorities tried goes to the next one; excluding every level is ignored', () => {
    const b = new ClusterBalancer([h('a'), h('b'), h('c', { priority: 1 }), h('d', { priority: 2 })], settings(), 1.4, seededRng(1));
    const keys = (exclude: number[]) => new Set(Array.from({ length: 200 }, () => b.pick({ attempt: 0, excludePriorities: new Set(exclude) })?.key));
    expect(keys([])).toEqual(new Set(['a', 'b']));
    expect(keys([0])).toEqual(new Set(['c']));
    expect(keys([0, 1])).toEqual(new Set(['d']));
    expect(keys([0, 1, 2])).toEqual(new Set(['a', 'b']));
  });

  it('fails over to priority 1 when priority 0 is down', () => {
    const hosts = [h('a', { health: 'UNHEALTHY' }), h('b', { health: 'UNHEALTHY' }), h('c', { priority: 1 }), h('d', { priority: 1 })];
    expect(tally(new ClusterBalancer(hosts, settings(), 1.4, seededRng(1)))).toEqual({ c: 500, d: 500 });
  });

  it('spills part of the traffic when priority 0 is partly ejected (overprovisioning 1.4)', () => {
    const hosts = [h('a'), h('b'), h('c'), h('d'), h('e', { priority: 1 })];
    hosts[0].ejected = true;
    hosts[1].ejected = true;
    // 2 of 4 healthy: 50% x 1.4 = 70% stays on P0.
    const t = tally(new ClusterBalancer(hosts, settings(), 1.4, seededRng(2)), 2000);
    expect(t.a).toBeUndefined();
    expect(t.e / 2000).toBeGreaterThan(0.25);
    expect(t.e / 2000).toBeLessThan(0.35);
  });

  it('ignores ejected hosts and panics when too few are left', () => {
    const hosts = [h('a'), h('b'), h('c')];
    hosts[0].ejected = true;
    expect(Object.keys(tally(new ClusterBalancer(hosts, settings(), 1.4, seededRng(1)))).sort()).toEqual(['b', 'c']);
    hosts[1].ejected = true;
    // 1 of 3 healthy < 50%: panic, all hosts take traffic.
    expect(Object.keys(tally(new ClusterBalancer(hosts, settings(), 1.4, seededRng(1)))).sort()).toEqual(['a', 'b', 'c']);
    expect(Object.keys(tally(new ClusterBalancer(hosts, settings({ panicThreshold: 0 }), 1.4, seededRng(1))))).toEqual(['c']);
  });

  it('weights localities by their weight and availability', () => {
    const hosts = [h('a1', { locality: 'us/a', localityWeight: 3 }), h('a2', { locality: 'us/a', localityWeight: 3 }), h('b1', { locality: 'us/b', localityWeight: 1 })];
    const t = tally(new ClusterBalancer(hosts, settings({ localityWeighted: true }), 1.4, seededRng(3)), 4000);
    expect((t.a1 + t.a2) / 4000).toBeCloseTo(0.75, 1);
    expect(t.b1 / 4000).toBeCloseTo(0.25, 1);
    // Without locality-weighted LB every host is equal.
    const flat = tally(new ClusterBalancer(hosts, settings(), 1.4, seededRng(3)), 3000);
    expect(flat.b1).toBe(1000);
  });

  it('sends a hash to the same host and picks priorities by the hash', () => {
    const hosts = [h('10.0.0.1:80'), h('10.0.0.2:80'), h('10.0.0.3:80')];
    const b = new ClusterBalancer(hosts, settings({ lbPolicy: 'RING_HASH' }), 1.4, seededRng(1));
    for (const hash of [1n, 123456789n, 2n ** 63n]) expect(b.pick({ hash, attempt: 0 })).toBe(b.pick({ hash, attempt: 0 }));
    const m = new ClusterBalancer(hosts, settings({ lbPolicy: 'MAGLEV' }), 1.4, seededRng(1));
    expect(m.pick({ hash: 42n, attempt: 0 })).toBe(m.pick({ hash: 42n, attempt: 0 }));
  });

  it('has nothing to pick without hosts', () => {
    expect(new ClusterBalancer([], settings(), 1.4, seededRng(1)).pick({ attempt: 0 })).toBeUndefined();
  });
});
