import type { EventLoopUtilization } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettledGc } from './settled-gc';

/** An event-loop utilisation source the test sets: the next period's utilisation. */
function eluSource() {
  const src = { next: 0, fn: (prev?: EventLoopUtilization): EventLoopUtilization => ({ idle: 0, active: 0, utilization: prev ? src.next : 0 }) };
  return src;
}

describe('SettledGc: one full GC once the proxy is idle after a config change', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('collects once, quietMs after the last of several changes', () => {
    const gc = vi.fn();
    const logs: string[] = [];
    const s = new SettledGc({ quietMs: 5000, gc, elu: eluSource().fn, log: (m) => logs.push(m), minGrowthBytes: 0 });
    s.configChanged();
    vi.advanceTimersByTime(3000);
    s.configChanged();
    vi.advanceTimersByTime(4999);
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(logs).toEqual([expect.stringMatching(/^config settled: full GC, V8 heap in use [\d.]+ -> [\d.]+ MB in \d+ ms$/)]);
    vi.advanceTimersByTime(60_000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('never pauses a busy proxy: waits for an idle period, and gives up after maxTries', () => {
    const gc = vi.fn();
    const elu = eluSource();
    const s = new SettledGc({ quietMs: 1000, gc, elu: elu.fn, maxTries: 3, minGrowthBytes: 0 });
    elu.next = 0.3;
    s.configChanged();
    vi.advanceTimersByTime(2000);
    expect(gc).not.toHaveBeenCalled();
    elu.next = 0.01;
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(1);

    elu.next = 0.3;
    s.configChanged();
    vi.advanceTimersByTime(10_000);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(s.collections).toBe(1);
  });

  it('does nothing without a gc function (no --expose-gc), and stop() cancels a pending one', () => {
    const none = new SettledGc({ quietMs: 10, gc: undefined, elu: eluSource().fn });
    none.configChanged();
    vi.advanceTimersByTime(100);
    expect(none.collections).toBe(0);
    const gc = vi.fn();
    const s = new SettledGc({ quietMs: 10, gc, elu: eluSource().fn, minGrowthBytes: 0 });
    s.configChanged();
    s.stop();
    vi.advanceTimersByTime(100);
    expect(gc).not.toHaveBeenCalled();
  });

  it('skips a config that grew the heap less than minGrowthBytes since the last collection', () => {
    const gc = vi.fn();
    let heap = 100;
    const s = new SettledGc({ quietMs: 10, gc, elu: eluSource().fn, minGrowthBytes: 50, heapUsed: () => heap });
    heap = 140;
    s.configChanged();
    vi.advanceTimersByTime(10);
    expect(gc).not.toHaveBeenCalled();
    heap = 160;
    s.configChanged();
    vi.advanceTimersByTime(10);
    expect(gc).toHaveBeenCalledTimes(1);
  });
});
