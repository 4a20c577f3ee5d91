import { describe, expect, it } from 'vitest';
import { parseDuration } from '../index';

describe('parseDuration', () => {
  it.each([
    ['1s', 1000],
    ['0.5s', 500],
    ['100ms', 100],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['10us', 0.01],
    ['10µs', 0.01],
    ['1h30m', 5_400_000],
    ['24h', 86_400_000],
    ['0s', 0],
    ['0', 0],
    ['.5s', 500],
    ['2000ns', 0.002],
  ])('%s = %f ms', (s, ms) => {
    expect(parseDuration(s)).toBeCloseTo(ms, 9);
  });

  it.each(['', 's', '1', '10', '-1s', '1 s', '1sec', '1d', '5 seconds', '1.2.3s', 'PT1S'])('rejects %j', (s) => {
    expect(parseDuration(s)).toBeUndefined();
  });
});
