/**
 * Everything a scenario starts is registered here and stopped in reverse order, whether the
 * scenario finished, failed or ran out of time. Stops run even if earlier ones throw.
 */
export class Cleanup {
  private readonly stack: Array<{ name: string; stop: () => unknown }> = [];
  private closing?: Promise<string[]>;

  /** Registers a stop function; returns `value` so setup code can chain it. */
  add<T>(name: string, stop: () => unknown, value?: T): T {
    this.stack.push({ name, stop });
    return value as T;
  }

  /** Stops everything (last registered first) and returns the errors it met. Idempotent. */
  close(): Promise<string[]> {
    this.closing ??= (async () => {
      const errors: string[] = [];
      while (this.stack.length) {
        const item = this.stack.pop() as { name: string; stop: () => unknown };
        try {
          await withTimeout(Promise.resolve(item.stop()), 20_000, `stopping ${item.name}`);
        } catch (e) {
          errors.push(`${item.name}: ${(e as Error).message}`);
        }
      }
      return errors;
    })();
    return this.closing;
  }
}

export class TimeoutError extends Error {}

/** Rejects with {@link TimeoutError} if `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no result within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wall-clock milliseconds from the monotonic clock shared by every process (CLOCK_MONOTONIC). */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;
