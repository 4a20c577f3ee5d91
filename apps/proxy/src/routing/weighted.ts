import type { WeightedCluster } from '../config/model';

/** A source of uniform numbers in [0, 1); injected so tests are deterministic. */
export type Rng = () => number;

/**
 * Picks a weighted cluster the way Envoy does: a random value in [0, total) walks the cumulative
 * weights in order. Zero-weight clusters are never picked.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-weightedcluster
 */
export function pickWeighted(clusters: readonly WeightedCluster[], totalWeight: number, rng: Rng): WeightedCluster {
  if (clusters.length === 1) return clusters[0];
  const r = Math.floor(rng() * totalWeight);
  let acc = 0;
  for (const c of clusters) {
    acc += c.weight;
    if (r < acc) return c;
  }
  return clusters[clusters.length - 1];
}

/** Mulberry32: a small seeded PRNG for tests and reproducible simulations. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
