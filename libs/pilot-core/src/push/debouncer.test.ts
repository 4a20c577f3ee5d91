import { describe, expect, it } from 'vitest';
import { Debouncer } from './debouncer';
import type { Timer } from './timer';

class StepTimer implements Timer {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.push({ at: this.t + ms, fn, id: ++this.next });
    return this.next;
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

describe('Debouncer with a max delay that depends on the pending batch', () => {
  // 'e' = an endpoint event (short max), 'c' = a config event (long max).
  const make = () => {
    const timer = new StepTimer();
    const flushes: Array<{ at: number; batch: string }> = [];
    const d = new Debouncer<string>({ quietMs: 100, maxMs: 10_000 }, timer, (a, b) => a + b, (batch) => flushes.push({ at: timer.t, batch }), (p) => (p.includes('c') ? 10_000 : 500));
    return { timer, flushes, d };
  };

  it('flushes a steady stream of endpoint events every endpoint max delay', () => {
    const { timer, flushes, d } = make();
    for (let i = 0; i < 60; i++) {
      d.push('e');
      timer.advance(20);
    }
    expect(flushes.map((f) => f.at)).toEqual([500, 1000]);
  });

  it('holds a batch with a config event for the long max delay', () => {
    const { timer, flushes, d } = make();
    d.push('c');
    for (let i = 0; i < 60; i++) {
      d.push('e');
      timer.advance(20);
    }
    expect(flushes).toEqual([]);
  });
});
