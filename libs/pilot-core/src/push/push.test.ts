import { describe, expect, it } from 'vitest';
import { TypeUrl } from '@mizzen/xds-types';
import { bookinfoSnapshot, DESTINATION_RULES_YAML, GATEWAY_PROXY, GATEWAY_YAML, PRODUCTPAGE_PROXY, REVIEWS_JASON_YAML } from '../testing/bookinfo-fixture';
import { affectedTypes } from './affected-types';
import { Debouncer } from './debouncer';
import { emptyChange, type MeshChange } from './mesh-change';
import type { Timer } from './timer';

class FakeTimer implements Timer {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.next;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = due.at;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = end;
  }
}

describe('Debouncer (100 ms quiet, 10 s max)', () => {
  const make = () => {
    const timer = new FakeTimer();
    const flushed: number[][] = [];
    const d = new Debouncer<number[]>({ quietMs: 100, maxMs: 10_000 }, timer, (a, b) => [...a, ...b], (v) => flushed.push(v));
    return { timer, flushed, d };
  };

  it('merges a burst and flushes after the quiet period', () => {
    const { timer, flushed, d } = make();
    d.push([1]);
    timer.advance(50);
    d.push([2]);
    timer.advance(99);
    expect(flushed).toEqual([]);
    timer.advance(1);
    expect(flushed).toEqual([[1, 2]]);
  });

  it('flushes no later than the max delay under a continuous stream', () => {
    const { timer, flushed, d } = make();
    for (let i = 0; i < 200; i++) {
      d.push([i]);
      timer.advance(60);
    }
    expect(flushed.length).toBeGreaterThanOrEqual(1);
    expect(flushed[0].length).toBeLessThanOrEqual(10_000 / 60 + 1);
  });
});

describe('affectedTypes', () => {
  const before = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + GATEWAY_YAML);
  const after = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + GATEWAY_YAML + '---' + REVIEWS_JASON_YAML, undefined, 2);
  const change = (c: Partial<MeshChange>): MeshChange => ({ ...emptyChange(), ...c });

  it('a mesh VirtualService touches sidecar routes and L4 listeners only', () => {
    const c = change({ configs: new Set(['VirtualService/default/reviews']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after)).toEqual(new Set([TypeUrl.RouteConfiguration, TypeUrl.Listener]));
    expect(affectedTypes(c, GATEWAY_PROXY, before, after).size).toBe(0);
  });

  it('a gateway-bound VirtualService touches only gateways', () => {
    const c = change({ configs: new Set(['VirtualService/default/bookinfo']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after).size).toBe(0);
    expect(affectedTypes(c, GATEWAY_PROXY, before, after)).toEqual(new Set([TypeUrl.RouteConfiguration, TypeUrl.Listener]));
  });

  it('a Gateway touches the gateways it selects, never sidecars', () => {
    const c = change({ configs: new Set(['Gateway/default/bookinfo-gateway']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after).size).toBe(0);
    expect(affectedTypes(c, GATEWAY_PROXY, before, after)).toEqual(new Set([TypeUrl.Listener, TypeUrl.RouteConfiguration]));
  });

  it('endpoint churn touches EDS only', () => {
    expect([...affectedTypes(change({ workloads: new Set(['default/reviews-v1']) }), PRODUCTPAGE_PROXY, before, after)]).toEqual([TypeUrl.ClusterLoadAssignment]);
  });
});
