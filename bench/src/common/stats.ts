/** Percentiles and round summaries. Pure functions. */

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100); NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Summarises samples (any order; the array is sorted in place). */
export function summarize(samples: Float64Array | number[]): LatencySummary {
  const s = samples instanceof Float64Array ? samples.sort() : Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return {
    count: s.length,
    mean: s.length ? sum / s.length : NaN,
    p50: percentileSorted(s, 50),
    p90: percentileSorted(s, 90),
    p99: percentileSorted(s, 99),
    p999: percentileSorted(s, 99.9),
    max: s.length ? s[s.length - 1] : NaN,
  };
}

/** A figure measured once per round: median with min and max over the rounds. */
export interface RoundStat {
  median: number;
  min: number;
  max: number;
  /** Per-round values in round order (NaN for a failed round). */
  values: number[];
}

export function overRounds(values: readonly number[]): RoundStat {
  const ok = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (ok.length === 0) return { median: NaN, min: NaN, max: NaN, values: [...values] };
  const mid = ok.length >> 1;
  const median = ok.length % 2 ? ok[mid] : (ok[mid - 1] + ok[mid]) / 2;
  return { median, min: ok[0], max: ok[ok.length - 1], values: [...values] };
}

export const round = (v: number, digits = 2): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);
