import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectLog } from './connect-log';

describe('ConnectLog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('logs a lone connection at once and summarises a storm in one line per window', () => {
    const lines: string[] = [];
    const log = new ConnectLog((m) => lines.push(m), 1000);
    log.connected('a');
    expect(lines).toEqual(['connected a']);
    for (const p of ['b', 'c', 'd', 'e', 'f']) log.connected(p);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(lines).toEqual(['connected a', 'connected 5 more proxies: b, c, d and 2 others']);
    log.connected('g');
    vi.advanceTimersByTime(1000);
    expect(lines.at(-1)).toBe('connected g');
    vi.advanceTimersByTime(5000);
    log.connected('h'); // after a quiet window: at once again
    expect(lines.at(-1)).toBe('connected h');
  });
});
