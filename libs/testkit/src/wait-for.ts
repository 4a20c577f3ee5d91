export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Poll interval (default 25 ms). */
  intervalMs?: number;
  /** Prefix for the timeout error message. */
  message?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `fn` until it returns a truthy value (which is returned) without throwing. On timeout the
 * rejection carries the last error thrown by `fn`, so an assertion inside `fn` explains the failure.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? lastError.message : lastError === undefined ? 'condition stayed falsy' : String(lastError);
      throw new Error(`${opts.message ?? 'waitFor'}: timed out after ${timeoutMs} ms: ${why}`, { cause: lastError });
    }
    await sleep(intervalMs);
  }
}
