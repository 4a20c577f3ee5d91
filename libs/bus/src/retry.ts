export interface RetryOptions {
  /** Stop retrying after this long (default 30000 ms). */
  timeoutMs?: number;
  /** First delay (default 100 ms), doubled up to `maxDelayMs` (default 2000 ms). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Only errors for which this returns true are retried (default: all). */
  retryable?: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Calls `fn` until it succeeds, with capped exponential backoff, until the deadline. */
export async function retry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let delay = opts.initialDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (opts.retryable && !opts.retryable(err)) throw err;
      if (Date.now() + delay > deadline) throw err;
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 2000);
    }
  }
}
