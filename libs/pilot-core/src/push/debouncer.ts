import type { Timer } from './timer';

export interface DebounceOptions {
  /** Flush after this long without a new event (Istio PILOT_DEBOUNCE_AFTER: 100 ms). */
  quietMs: number;
  /** Flush at the latest this long after the first pending event (PILOT_DEBOUNCE_MAX: 10 s). */
  maxMs: number;
}

/** The max delay for what is pending (e.g. shorter for endpoint-only batches); default `maxMs`. */
export type MaxDelayFor<T> = (pending: T) => number;

export const ISTIO_DEBOUNCE: DebounceOptions = { quietMs: 100, maxMs: 10_000 };

/**
 * Merges bursts of events into one flush: flushes `quietMs` after the last event, but never later
 * than `maxMs` after the first one, as Istio's push debouncing does (pilot/pkg/xds/discovery.go).
 * With `maxFor`, the max delay depends on the merged pending batch (Pilot gives endpoint-only
 * batches a shorter one, so a steady stream of endpoint changes is not held for `maxMs`).
 */
export class Debouncer<T> {
  private pending: T | undefined;
  private firstAt = 0;
  private handle: unknown;

  constructor(
    private readonly opts: DebounceOptions,
    private readonly timer: Timer,
    private readonly merge: (a: T, b: T) => T,
    private readonly onFlush: (merged: T) => void,
    private readonly maxFor: MaxDelayFor<T> = () => opts.maxMs,
  ) {}

  push(event: T): void {
    const now = this.timer.now();
    if (this.pending === undefined) {
      this.pending = event;
      this.firstAt = now;
    } else {
      this.pending = this.merge(this.pending, event);
    }
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    const delay = Math.max(0, Math.min(this.opts.quietMs, this.firstAt + this.maxFor(this.pending) - now));
    this.handle = this.timer.setTimeout(() => this.flush(), delay);
  }

  /** Flushes now if anything is pending. */
  flush(): void {
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p !== undefined) this.onFlush(p);
  }

  stop(): void {
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    this.pending = undefined;
  }
}
