import { describe, expect, it } from 'vitest';
import { NO_HEADER_MUTATIONS, type WeightedCluster } from '../config/model';
import { pickWeighted, seededRng } from './weighted';

const wc = (name: string, weight: number): WeightedCluster => ({ name, weight, headers: NO_HEADER_MUTATIONS });

describe('weighted cluster pick', () => {
  it('splits in proportion to the weights (seeded RNG)', () => {
    const clusters = [wc('v1', 80), wc('v2', 15), wc('v3', 5)];
    const rng = seededRng(42);
    const counts: Record<string, number> = { v1: 0, v2: 0, v3: 0 };
    for (let i = 0; i < 100_000; i++) counts[pickWeighted(clusters, 100, rng).name]++;
    expect(counts.v1 / 1000).toBeCloseTo(80, 0);
    expect(counts.v2 / 1000).toBeCloseTo(15, 0);
    expect(counts.v3 / 1000).toBeCloseTo(5, 0);
  });

  it('never picks a zero-weight cluster and walks cumulative weights in order', () => {
    const clusters = [wc('a', 0), wc('b', 50), wc('c', 50)];
    expect(pickWeighted(clusters, 100, () => 0).name).toBe('b');
    expect(pickWeighted(clusters, 100, () => 0.4999).name).toBe('b');
    expect(pickWeighted(clusters, 100, () => 0.5).name).toBe('c');
    expect(pickWeighted(clusters, 100, () => 0.9999).name).toBe('c');
  });

  it('is deterministic for a seed', () => {
    const clusters = [wc('a', 1), wc('b', 1)];
    const seq = (seed: number) => Array.from({ length: 20 }, ((rng) => () => pickWeighted(clusters, 2, rng).name)(seededRng(seed)));
    expect(seq(7)).toEqual(seq(7));
  });
});
