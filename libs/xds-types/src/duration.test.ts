import { describe, expect, it } from 'vitest';
import { durationFromMs, durationToMs } from './duration';

describe('duration helpers', () => {
  it('converts whole and fractional milliseconds', () => {
    expect(durationFromMs(0)).toEqual({ seconds: 0 });
    expect(durationFromMs(1500)).toEqual({ seconds: 1, nanos: 500_000_000 });
    expect(durationFromMs(250)).toEqual({ seconds: 0, nanos: 250_000_000 });
    expect(durationFromMs(0.001)).toEqual({ seconds: 0, nanos: 1000 });
    expect(durationFromMs(-1500)).toEqual({ seconds: -1, nanos: -500_000_000 });
    expect(durationFromMs(-0.5)).toEqual({ seconds: 0, nanos: -500_000 });
  });

  it('round-trips and keeps undefined', () => {
    for (const ms of [0, 1, 999, 1000, 15_000, 123_456.789, -42]) {
      expect(durationToMs(durationFromMs(ms))).toBeCloseTo(ms, 6);
    }
    expect(durationToMs(undefined)).toBeUndefined();
    expect(durationToMs({ seconds: 2 })).toBe(2000);
  });

  it('rejects non-finite input', () => {
    expect(() => durationFromMs(Number.NaN)).toThrow(RangeError);
    expect(() => durationFromMs(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
