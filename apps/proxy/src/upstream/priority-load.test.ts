import { describe, expect, it } from 'vitest';
import { choosePriority, priorityLoads } from './priority-load';

const level = (total: number, healthy: number, degraded = 0) => ({ total, healthy, degraded });

describe('priority loads (Envoy priority levels, overprovisioning factor 1.4)', () => {
  // The table in Envoy's priority levels documentation: P0 health -> P0 / P1 traffic.
  it.each([
    [100, [100, 0]],
    [72, [100, 0]],
    [71, [99, 1]],
    [50, [70, 30]],
    [25, [35, 65]],
    [0, [0, 100]],
  ])('P0 %i%% healthy, P1 healthy -> %j', (pct, want) => {
    expect(priorityLoads([level(100, pct), level(100, 100)], 1.4, 0).healthy).toEqual(want);
  });

  it('normalises when the levels together are less than 100% available', () => {
    // 20% + 20% healthy (x1.4 = 28 each): scaled to 50/50.
    expect(priorityLoads([level(10, 2), level(10, 2)], 1.4, 0).healthy).toEqual([50, 50]);
  });

  it('sends the rest to degraded hosts', () => {
    const l = priorityLoads([level(10, 5, 5)], 1.4, 0);
    expect(l.healthy).toEqual([70]);
    expect(l.degraded).toEqual([30]);
  });

  it('marks a level below the panic threshold; all in panic spreads by host count', () => {
    const l = priorityLoads([level(4, 1), level(2, 0)], 1.4, 0.5);
    expect(l.panic).toEqual([true, true]);
    expect(l.healthy).toEqual([67, 33]);
  });

  it('a panicking P0 still takes its share while P1 is healthy', () => {
    const l = priorityLoads([level(4, 1), level(2, 2)], 1.4, 0.5);
    expect(l.panic).toEqual([true, false]);
    expect(l.healthy).toEqual([35, 65]);
  });

  it('chooses priorities by cumulative load', () => {
    const l = priorityLoads([level(100, 50), level(100, 100)], 1.4, 0);
    expect(choosePriority(l, 0).priority).toBe(0);
    expect(choosePriority(l, 69).priority).toBe(0);
    expect(choosePriority(l, 70).priority).toBe(1);
    expect(choosePriority(l, 99).priority).toBe(1);
  });
});
