import { EventEmitter } from 'node:events';

/**
 * A cheap, one-shot cancellation with a reason. The request path uses these instead of
 * AbortController / AbortSignal.any, whose per-request DOMException and signal bookkeeping showed
 * up as ~10 % of proxy CPU.
 */
export class Cancellation {
  reason?: string;
  private listeners?: Array<(reason: string) => void>;

  get cancelled(): boolean {
    return this.reason !== undefined;
  }

  cancel(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    const ls = this.listeners;
    this.listeners = undefined;
    if (ls) for (const f of ls) f(reason);
  }

  /** Calls `fn` on cancellation (at once if already cancelled); returns an unsubscribe. */
  onCancel(fn: (reason: string) => void): () => void {
    if (this.reason !== undefined) {
      fn(this.reason);
      return () => undefined;
    }
    (this.listeners ??= []).push(fn);
    return () => {
      const i = this.listeners?.indexOf(fn) ?? -1;
      if (i >= 0) this.listeners?.splice(i, 1);
    };
  }
}

/** An `abort` emitter (undici accepts EventEmitters as `signal`) fired by any of `sources`. */
export function abortEmitter(sources: readonly Cancellation[]): { signal: EventEmitter; dispose(): void } {
  const signal = new EventEmitter();
  const fire = (): void => void signal.emit('abort');
  const offs = sources.map((c) => c.onCancel(fire));
  return { signal, dispose: () => offs.forEach((off) => off()) };
}

/** Waits `ms`; resolves false early if any of `sources` is cancelled. */
export function delay(ms: number, sources: readonly Cancellation[]): Promise<boolean> {
  if (sources.some((c) => c.cancelled)) return Promise.resolve(false);
  return new Promise((resolve) => {
    let offs: Array<() => void> = [];
    const timer = setTimeout(() => {
      offs.forEach((off) => off());
      resolve(true);
    }, ms);
    offs = sources.map((c) =>
      c.onCancel(() => {
        clearTimeout(timer);
        offs.forEach((off) => off());
        resolve(false);
      }),
    );
  });
}
