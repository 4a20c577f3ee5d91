import type { Timer } from './timer';

export interface PushQueueOptions {
  /**
   * Pushes whose responses have not all reached the transport yet, at most (Istio's
   * PILOT_PUSH_THROTTLE, 100): bounds the bytes buffered for slow clients and lets early clients
   * receive (and ACK) their config while later ones are still being generated.
   */
  maxInFlight: number;
  /** Work per event-loop turn before yielding to I/O (ACKs, new streams, keepalives). */
  sliceMs: number;
  /** An in-flight push whose writes never complete (a client that stopped reading) frees its slot after this. */
  flushTimeoutMs: number;
}

export const DEFAULT_PUSH_QUEUE: PushQueueOptions = { maxInFlight: 100, sliceMs: 10, flushTimeoutMs: 5_000 };

/** Timers plus "run this after pending I/O" (setImmediate in Pilot). */
export interface PushScheduler extends Timer {
  defer(fn: () => void): void;
}

/**
 * Runs one push for one connection. Must call `done` once the push's responses have been handed
 * to the transport (at once if it sent nothing); a throw counts as done.
 */
export type PushRunner<C, R> = (conn: C, req: R, done: () => void) => void;

interface Running<R> {
  timer: unknown;
  /** Requests that arrived while this push was in flight, merged; queued again when it is done. */
  next?: R;
}

/**
 * Istio's per-proxy push queue (pilot/pkg/xds/pushqueue.go), single-threaded:
 * - one entry per connection: a request for a connection already waiting is merged into its
 *   entry, which keeps its place (FIFO by first enqueue, so no connection is starved by churn);
 * - a connection is pushed at most once at a time; what arrives meanwhile is merged and queued
 *   again behind the others when its push is done;
 * - at most `maxInFlight` pushes are in flight, and the queue yields to the event loop after
 *   every `sliceMs` of work, so ACKs and new streams are served during a push to thousands.
 */
export class PushQueue<C, R> {
  private readonly queued = new Map<C, R>();
  private readonly running = new Map<C, Running<R>>();
  private scheduled = false;
  private busy = false;
  private readonly idleListeners: Array<() => void> = [];

  constructor(
    private readonly opts: PushQueueOptions,
    private readonly scheduler: PushScheduler,
    private readonly merge: (a: R, b: R) => R,
    private readonly run: PushRunner<C, R>,
  ) {}

  get pending(): number {
    return this.queued.size;
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Nothing queued and nothing in flight. */
  get idle(): boolean {
    return this.queued.size === 0 && this.running.size === 0;
  }

  /** Called each time the queue becomes idle after work. */
  onIdle(listener: () => void): void {
    this.idleListeners.push(listener);
  }

  enqueue(conn: C, req: R): void {
    this.busy = true;
    const r = this.running.get(conn);
    if (r) {
      r.next = r.next === undefined ? req : this.merge(r.next, req);
      return;
    }
    const waiting = this.queued.get(conn);
    this.queued.set(conn, waiting === undefined ? req : this.merge(waiting, req));
    this.schedule();
  }

  /** Forgets a connection (it closed): its queued request goes, its in-flight slot is freed. */
  remove(conn: C): void {
    this.queued.delete(conn);
    const r = this.running.get(conn);
    if (r) {
      this.scheduler.clearTimeout(r.timer);
      this.running.delete(conn);
    }
    this.afterChange();
  }

  private schedule(): void {
    if (this.scheduled || this.queued.size === 0 || this.running.size >= this.opts.maxInFlight) return;
    this.scheduled = true;
    this.scheduler.defer(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    const start = this.scheduler.now();
    while (this.queued.size > 0 && this.running.size < this.opts.maxInFlight) {
      const [conn, req] = this.queued.entries().next().value as [C, R];
      this.queued.delete(conn);
      this.start(conn, req);
      if (this.scheduler.now() - start >= this.opts.sliceMs) break;
    }
    this.afterChange();
  }

  private start(conn: C, req: R): void {
    let finished = false;
    const entry: Running<R> = { timer: undefined };
    const done = () => {
      if (finished) return;
      finished = true;
      if (this.running.get(conn) !== entry) return; // removed meanwhile
      this.scheduler.clearTimeout(entry.timer);
      this.running.delete(conn);
      if (entry.next !== undefined) this.queued.set(conn, this.queued.has(conn) ? this.merge(this.queued.get(conn) as R, entry.next) : entry.next);
      this.afterChange();
    };
    entry.timer = this.scheduler.setTimeout(done, this.opts.flushTimeoutMs);
    this.running.set(conn, entry);
    try {
      this.run(conn, req, done);
    } catch {
      done();
    }
  }

  private afterChange(): void {
    if (this.idle) {
      if (!this.busy) return;
      this.busy = false;
      for (const l of this.idleListeners) l();
      return;
    }
    this.schedule();
  }
}
