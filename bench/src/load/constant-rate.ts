import { type LatencySummary, summarize } from '../common/stats';
import { type LoadConnection, type LoadTarget, openConnection } from './connections';

/** One constant-rate run: `rate` requests/s over `connections` keep-alive connections. */
export interface ConstantRateSpec extends LoadTarget {
  rate: number;
  connections: number;
  durationMs: number;
}

export interface ConstantRateResult {
  /** Requests that fell due (rate x duration). */
  scheduled: number;
  completed: number;
  errors: number;
  non2xx: number;
  /** Requests still queued or in flight when the run's hard deadline passed. */
  abandoned: number;
  /** Completed requests per second over the run. */
  achievedRate: number;
  /** Most requests ever waiting for a free connection at once. */
  maxQueued: number;
  /** Latency in ms, from the moment a request fell due to its last response byte. */
  latencyMs: LatencySummary;
}

/**
 * A wrk2-style constant-rate generator. A timer ticks at each request's due time (libuv's 1 ms
 * resolution); requests that fell due are sent on an idle connection, or wait in a FIFO when all
 * connections are busy. Latency counts from the tick at which the request fell due, so a slow
 * server makes requests queue and that wait is measured (no coordinated omission); the timer's
 * own lateness (under 1 ms) is not. Bounded: exactly rate x duration requests, and a hard
 * deadline of duration + 10 s after which whatever is outstanding counts as abandoned.
 */
export async function runConstantRate(spec: ConstantRateSpec): Promise<ConstantRateResult> {
  const conns = Array.from({ length: spec.connections }, () => openConnection(spec));
  await Promise.all(conns.map((c) => c.connect()));
  const total = Math.max(1, Math.round((spec.rate * spec.durationMs) / 1000));
  const interval = 1000 / spec.rate;
  const latencies = new Float64Array(total);
  const dueAt = new Float64Array(total);
  let scheduled = 0;
  let dispatched = 0;
  let completed = 0;
  let errors = 0;
  let non2xx = 0;
  let maxQueued = 0;
  const idle = [...conns];
  const t0 = performance.now();

  return new Promise<ConstantRateResult>((resolve) => {
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const hardDeadline = setTimeout(() => finish(), spec.durationMs + 10_000);

    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(hardDeadline);
      clearTimeout(timer);
      for (const c of conns) c.close();
      const elapsed = (performance.now() - t0) / 1000;
      const done = latencies.subarray(0, completed);
      resolve({
        scheduled: total,
        completed,
        errors,
        non2xx,
        abandoned: total - completed - errors,
        achievedRate: completed / elapsed,
        maxQueued,
        latencyMs: summarize(Float64Array.from(done)),
      });
    };

    const settle = (): void => {
      if (scheduled === total && completed + errors === total) finish();
    };

    const dispatch = (): void => {
      while (dispatched < scheduled && idle.length) {
        const conn = idle.pop() as LoadConnection;
        const due = dueAt[dispatched++];
        conn.send((status, err) => {
          if (finished) return;
          if (err) {
            errors++;
            void conn.connect().then(
              () => {
                idle.push(conn);
                dispatch();
              },
              () => undefined,
            );
          } else {
            latencies[completed++] = performance.now() - due;
            if (status < 200 || status > 299) non2xx++;
            idle.push(conn);
          }
          dispatch();
          settle();
        });
      }
      maxQueued = Math.max(maxQueued, scheduled - dispatched);
    };

    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - t0) / interval) + 1);
      while (scheduled < due) dueAt[scheduled++] = now;
      dispatch();
      if (scheduled < total) timer = setTimeout(tick, Math.max(0, t0 + scheduled * interval - performance.now()));
      else settle();
    };
    tick();
  });
}

export interface ClosedLoopSpec extends LoadTarget {
  connections: number;
  /** Requests in flight at once (HTTP/1.1: at most one per connection). */
  concurrency: number;
  durationMs: number;
}

export interface ClosedLoopResult {
  completed: number;
  errors: number;
  non2xx: number;
  requestsPerSec: number;
  firstError?: string;
}

/**
 * Saturation for protocols wrk cannot speak (HTTP/2, gRPC): `concurrency` loops, each sending
 * its next request as soon as the last completes, spread over `connections`. Bounded by time and
 * by 5 million requests.
 */
export async function runClosedLoop(spec: ClosedLoopSpec): Promise<ClosedLoopResult> {
  const conns = Array.from({ length: spec.connections }, () => openConnection(spec));
  await Promise.all(conns.map((c) => c.connect()));
  const concurrency = spec.protocol === 'http1' ? Math.min(spec.concurrency, spec.connections) : spec.concurrency;
  let completed = 0;
  let errors = 0;
  let non2xx = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const end = t0 + spec.durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const conn = conns[i % conns.length];
      while (performance.now() < end && completed + errors < 5_000_000) {
        const [status, err] = await new Promise<[number, Error | undefined]>((resolve) => conn.send((st, e) => resolve([st, e])));
        if (err) {
          errors++;
          firstError ??= err.message;
          await new Promise((r) => setTimeout(r, 10));
        } else {
          completed++;
          if (status < 200 || status > 299) non2xx++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  for (const c of conns) c.close();
  return { completed, errors, non2xx, requestsPerSec: completed / elapsed, firstError };
}
