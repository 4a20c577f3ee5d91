import { describe, expect, it } from 'vitest';
import type { ConstantRateResult, ConstantRateSpec } from '../../load/constant-rate';
import { FIXED_CONNECTIONS, FIXED_RATE, FIXED_WARMUP_MS, type RateRunner, fixedRateSample } from './run';
import { targets, UPSTREAMS } from './setup';

const [target] = targets(UPSTREAMS.node, 'mizzen-2-sidecars-mtls');

function result(completed: number): ConstantRateResult {
  return { scheduled: completed, completed, errors: 0, non2xx: 0, abandoned: 0, achievedRate: completed, maxQueued: 0, latencyMs: { count: completed, mean: 1, p50: 1, p90: 2, p99: 3, p999: 4, max: 5 } };
}

/** A load generator that records its runs; `failFirst` makes the first (warm-up) run reject. */
function fakeLoad(failFirst = false): RateRunner & { specs: ConstantRateSpec[] } {
  const specs: ConstantRateSpec[] = [];
  return {
    specs,
    run: async (spec: ConstantRateSpec) => {
      specs.push(spec);
      if (failFirst && specs.length === 1) throw new Error('connection refused');
      return result(spec.durationMs);
    },
  };
}

describe('fixedRateSample', () => {
  it('runs an unmeasured warm-up at the same rate, connections and target, then the measured run', async () => {
    const load = fakeLoad();
    const sample = await fixedRateSample(load, [], target, 4000);
    expect(load.specs.map((x) => x.durationMs)).toEqual([FIXED_WARMUP_MS, 4000]);
    for (const spec of load.specs) expect(spec).toMatchObject({ ...target, rate: FIXED_RATE, connections: FIXED_CONNECTIONS });
    // The sample is the measured run's alone.
    expect(sample.completed).toBe(4000);
    expect(sample.cpuPer1000).toEqual({});
  });

  it('leaves a failed warm-up to the measured run', async () => {
    const load = fakeLoad(true);
    const sample = await fixedRateSample(load, [], target, 2000);
    expect(load.specs).toHaveLength(2);
    expect(sample.completed).toBe(2000);
  });
});
