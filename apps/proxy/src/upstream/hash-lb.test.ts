import { describe, expect, it } from 'vitest';
import { xxHash64 } from '../util/xxhash64';
import { MaglevLb, RingHashLb, type WeightedHost } from './hash-lb';

const host = (key: string, weight = 1) => ({ key, weight, active: 0 });
const shares = (hosts: Array<ReturnType<typeof host>>): WeightedHost<ReturnType<typeof host>>[] => {
  const total = hosts.reduce((n, h) => n + h.weight, 0);
  return hosts.map((h) => ({ host: h, share: h.weight / total }));
};
const four = ['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80', '10.0.0.4:80'].map((k) => host(k));
const keys = Array.from({ length: 5000 }, (_, i) => xxHash64(`user-${i}`));

describe('xxHash64', () => {
  it('matches the reference vectors', () => {
    expect(xxHash64('').toString(16)).toBe('ef46db3751d8e999');
    expect(xxHash64('a').toString(16)).toBe('d24ec4f1a98c6e5b');
    expect(xxHash64('abc').toString(16)).toBe('44bc2cf5ad770999');
    expect(xxHash64('Nobody inspects the spammish repetition').toString(16)).toBe('fbcea83c8a378bf1');
  });
});

// Bounds on keys of the remaining hosts that move when one of four leaves. Ring hash: Envoy rescales
// the ring to keep minimum_ring_size (256 -> 342 points per host), and the new points take ~10% of
// the other keys; Maglev moves almost none.
describe.each([
  ['ring hash', (hs: ReturnType<typeof shares>) => new RingHashLb(hs, 1024, 8 * 1024 * 1024), 0.15],
  ['maglev', (hs: ReturnType<typeof shares>) => new MaglevLb(hs, 65537), 0.02],
])('%s', (_name, make, othersBound) => {
  it('maps a key to the same host every time', () => {
    const lb = make(shares(four));
    for (const k of keys.slice(0, 50)) expect(lb.pick(k, 0)).toBe(lb.pick(k, 0));
  });

  it('spreads keys over the hosts', () => {
    const lb = make(shares(four));
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(lb.pick(k, 0)?.key ?? '', (counts.get(lb.pick(k, 0)?.key ?? '') ?? 0) + 1);
    for (const h of four) expect(counts.get(h.key)).toBeGreaterThan(keys.length / 4 / 2);
  });

  it('moves only keys of the host that left (minimal remapping)', () => {
    const before = make(shares(four));
    const after = make(shares(four.slice(0, 3)));
    let moved = 0;
    let movedOthers = 0;
    for (const k of keys) {
      const a = before.pick(k, 0);
      const b = after.pick(k, 0);
      if (a !== b) moved++;
      if (a !== b && a?.key !== '10.0.0.4:80') movedOthers++;
    }
    expect(moved - movedOthers).toBeGreaterThan(keys.length * 0.2);
    expect(movedOthers / keys.length).toBeLessThan(othersBound);
  });

  it('honours weights', () => {
    const lb = make(shares([host('a:1', 3), host('b:1', 1)]));
    const a = keys.filter((k) => lb.pick(k, 0)?.key === 'a:1').length / keys.length;
    expect(a).toBeGreaterThan(0.65);
    expect(a).toBeLessThan(0.85);
  });

  it('gives another host on a retry attempt, usually', () => {
    const lb = make(shares(four));
    const differs = keys.slice(0, 200).filter((k) => lb.pick(k, 0) !== lb.pick(k, 1)).length;
    expect(differs).toBeGreaterThan(100);
  });

  it('is empty without hosts', () => {
    expect(make([]).pick(1n, 0)).toBeUndefined();
  });
});

describe('ring size', () => {
  it('gives every host a whole number of points, at least the minimum ring size in total', () => {
    expect(new RingHashLb(shares(four), 1024, 8 * 1024 * 1024).size).toBe(1024);
    // Shares 2/3 and 1/3, minimum 10: scale = ceil(10 / 3) x 3 = 12 points, 8 and 4.
    expect(new RingHashLb(shares([host('a:1', 2), host('b:1', 1)]), 10, 100).size).toBe(12);
    expect(new RingHashLb(shares(four), 1024, 64).size).toBe(64);
  });
});
