import { describe, expect, it } from 'vitest';
import { parseDurationMs, renewalDelayMs, retryDelayMs } from './renewal';

const H = 3_600_000;

describe('certificate renewal timing', () => {
  it('renews at half the lifetime, within +-10% of that half', () => {
    const now = 1_000_000;
    expect(renewalDelayMs(now, now + 24 * H, now, () => 0.5)).toBe(12 * H);
    expect(renewalDelayMs(now, now + 24 * H, now, () => 0)).toBeCloseTo(10.8 * H);
    expect(renewalDelayMs(now, now + 24 * H, now, () => 0.999999)).toBeCloseTo(13.2 * H, -2);
  });

  it('counts from arrival when notBefore is backdated (a 4 s certificate backdated a minute renews in ~2 s)', () => {
    const now = 10_000_000;
    expect(renewalDelayMs(now - 60_000, now + 4000, now, () => 0.5)).toBe(2000);
    expect(renewalDelayMs(now - 60_000, now - 1, now)).toBe(0);
  });

  it('backs off exponentially from 1 s to 60 s with jitter in [50%, 100%]', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => retryDelayMs(n, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
    expect(retryDelayMs(3, () => 0)).toBe(2000);
  });

  it('parses Go-style durations plus days', () => {
    expect(['24h', '1h30m', '90s', '500ms', '2d', '1.5h'].map(parseDurationMs)).toEqual([24 * H, 1.5 * H, 90_000, 500, 48 * H, 1.5 * H]);
    expect(['', '24', 'soon', '0s', '1x'].map(parseDurationMs)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
