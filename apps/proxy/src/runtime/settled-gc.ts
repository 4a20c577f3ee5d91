import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface SettledGcOptions {
  /** How long without a config change, and with an idle event loop, before collecting. */
  quietMs: number;
  /** A full GC (`globalThis.gc`, present with --expose-gc); without one this does nothing. */
  gc: (() => void) | undefined;
  /** Event-loop utilisation at or above which the proxy counts as busy (default 0.05). */
  busyAbove?: number;
  /** How many quiet periods to wait for an idle one before leaving it to V8 (default 12). */
  maxTries?: number;
  /** Event-loop utilisation since `prev` (perf_hooks; injectable for tests). */
  elu?: (prev?: EventLoopUtilization) => EventLoopUtilization;
  /** Told after each collection: the V8 heap in use before and after, and the pause. */
  log?: (msg: string) => void;
  /**
   * Growth of the V8 heap in use since the last collection (or since start) below which it is
   * not worth a pause (default 16 MB: a bookinfo-sized config grows it ~9 MB, a 1000-service one ~30).
   */
  minGrowthBytes?: number;
  /** V8 heap in use (injectable for tests). */
  heapUsed?: () => number;
}

/**
 * A full collection once the proxy has settled after a config change. Translating a large xDS update
 * leaves tens of MB of garbage (a 1000-service config: ~35 MB) that V8 keeps until its memory
 * reducer runs, and that starts only after a major GC or an idle notification: in the bench one
 * sidecar in four still held it 40 s after its config. Envoy frees such memory at once.
 *
 * Contract: after the last `configChanged()`, once `quietMs` passes with the event loop idle
 * (utilisation below `busyAbove` over that period), `gc()` runs once if the heap in use grew by
 * `minGrowthBytes` since the last collection (a small config is not worth the pause). A busy
 * proxy is never paused for it: it retries every `quietMs` up to `maxTries` times, then leaves
 * the garbage to V8 (traffic allocates, and V8's own GCs collect it). Without `gc` (no --expose-gc,
 * `PROXY_NODE_ARGS`) it does nothing.
 */
export class SettledGc {
  private timer?: NodeJS.Timeout;
  private since?: EventLoopUtilization;
  private tries = 0;
  /** Heap in use after the last collection (at start: when this was built). */
  private baseline: number;
  collections = 0;

  constructor(private readonly o: SettledGcOptions) {
    this.baseline = this.heapUsed();
  }

  configChanged(): void {
    if (!this.o.gc) return;
    this.tries = 0;
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.since = this.elu();
    this.timer = setTimeout(() => this.fire(), this.o.quietMs);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const busy = this.elu(this.since).utilization >= (this.o.busyAbove ?? 0.05);
    if (!busy) {
      const before = this.heapUsed();
      if (before - this.baseline < (this.o.minGrowthBytes ?? 16 * 1048576)) return;
      const started = performance.now();
      this.o.gc?.();
      this.collections++;
      this.baseline = this.heapUsed();
      const mb = (n: number): string => (n / 1048576).toFixed(1);
      this.o.log?.(`config settled: full GC, V8 heap in use ${mb(before)} -> ${mb(this.baseline)} MB in ${(performance.now() - started).toFixed(0)} ms`);
    } else if (++this.tries < (this.o.maxTries ?? 12)) this.arm();
  }

  private heapUsed(): number {
    return (this.o.heapUsed ?? (() => process.memoryUsage().heapUsed))();
  }

  private elu(prev?: EventLoopUtilization): EventLoopUtilization {
    return (this.o.elu ?? ((p) => performance.eventLoopUtilization(p)))(prev);
  }
}
