import { describe, expect, it } from 'vitest';
import { seededRng } from '../routing';
import { LeastRequestLb, RandomLb, RoundRobinLb } from './load-balancer';

const host = (key: string, weight = 1, active = 0) => ({ key, weight, active });

describe('round robin', () => {
  it('rotates over equal-weight hosts', () => {
    const lb = new RoundRobinLb([host('a'), host('b'), host('c')]);
    expect(Array.from({ length: 7 }, () => lb.pick()?.key)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('honours a start offset', () => {
    const lb = new RoundRobinLb([host('a'), host('b'), host('c')], 2);
    expect(Array.from({ length: 3 }, () => lb.pick()?.key)).toEqual(['c', 'a', 'b']);
  });

  it('interleaves weighted hosts in proportion (smooth weighted round robin)', () => {
    const lb = new RoundRobinLb([host('a', 5), host('b', 1), host('c', 1)]);
    const seq = Array.from({ length: 7 }, () => lb.pick()?.key);
    expect(seq).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a']);
    const many = Array.from({ length: 700 }, () => lb.pick()?.key);
    expect(many.filter((k) => k === 'a')).toHaveLength(500);
  });

  it('returns nothing for an empty set', () => {
    expect(new RoundRobinLb([]).pick()).toBeUndefined();
  });
});

describe('least request', () => {
  it('picks the less loaded of two random choices', () => {
    const hosts = [host('busy', 1, 10), host('idle', 1, 0)];
    const lb = new LeastRequestLb(hosts, seededRng(1));
    const picks = Array.from({ length: 200 }, () => lb.pick()?.key);
    // Both choices land on `busy` with probability 1/4; every other pick is `idle`.
    expect(picks.filter((k) => k === 'idle').length).toBeGreaterThan(120);
  });

  it('scores weighted hosts by weight / (active + 1)', () => {
    const lb = new LeastRequestLb([host('a', 1, 0), host('b', 4, 2)], seededRng(1));
    expect(lb.pick()?.key).toBe('b');
  });
});

describe('random', () => {
  it('picks by weight', () => {
    const lb = new RandomLb([host('a', 3), host('b', 1)], seededRng(9));
    const picks = Array.from({ length: 40_000 }, () => lb.pick()?.key);
    expect(picks.filter((k) => k === 'a').length / 400).toBeCloseTo(75, -0.5);
  });
});
