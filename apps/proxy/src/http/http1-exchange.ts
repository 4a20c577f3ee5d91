import type { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import type { Sink } from './pump';
import type { ResponseBody } from './response-body';
import type { RawHeaders, UpstreamResponse } from './upstream-response';

/** undici's raw header list (name, value, name, value...) as a map: lower-cased names, repeats as arrays (undici's parseHeaders). */
export function parseRawHeaders(raw: ReadonlyArray<Buffer | string | string[]> | null | undefined, into: RawHeaders = {}): RawHeaders {
  if (!raw) return into;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i];
    const key = (typeof k === 'string' ? k : Array.isArray(k) ? k.join('') : k.toString('latin1')).toLowerCase();
    const v = raw[i + 1];
    const value = typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : v.toString('latin1');
    // Plain assignment keeps the object fast; `__proto__` would set the prototype instead.
    if (key === '__proto__') {
      Object.defineProperty(into, key, { value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    const prev = into[key];
    if (prev === undefined || !Object.hasOwn(into, key)) into[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else into[key] = [prev, value];
  }
  return into;
}

/** Chunks a body holds before anyone reads it; beyond this the upstream socket is paused. */
const HELD_BYTES = 64 * 1024;

/**
 * One HTTP/1.1 request over an undici pool through its dispatch handler API, the response body
 * relayed chunk by chunk into the downstream response. It replaces undici's `request()`, which
 * wraps every response body in a Readable (an AsyncResource and several nextTicks per response:
 * ~10% of a sidecar's CPU at saturation). Backpressure: a chunk the downstream cannot take
 * pauses the upstream socket (`onData` returns false) until the downstream drains.
 * https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler
 */
export class Http1Exchange implements Dispatcher.DispatchHandler, ResponseBody {
  private abortUpstream?: (err: Error) => void;
  private abortReason?: Error;
  private resumeUpstream?: () => void;
  private settleHeaders?: { resolve: (r: UpstreamResponse) => void; reject: (e: Error) => void };
  private readonly trailers: RawHeaders = {};
  /** Chunks received before `relay`/`dump` took the body. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private state: 'headers' | 'body' | 'complete' | 'failed' = 'headers';
  private error?: Error;
  private consumer?: { onData(c: Buffer): boolean; onEnd(): void; onError(e: Error): void };

  constructor(private readonly signal: EventEmitter) {
    signal.once('abort', this.onAbort);
  }

  /** Sends `opts` over `pool`; resolves at the response headers. */
  send(pool: Dispatcher, opts: Dispatcher.DispatchOptions): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      this.settleHeaders = { resolve, reject };
      pool.dispatch(opts, this);
    });
  }

  private readonly onAbort = (): void => {
    const err = Object.assign(new Error('Request aborted'), { code: 'UND_ERR_ABORTED' });
    if (this.abortUpstream) this.abortUpstream(err);
    else this.abortReason = err;
  };

  onConnect(abort: (err?: Error) => void): void {
    if (this.abortReason) return abort(this.abortReason);
    this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: the final response follows
    this.resumeUpstream = resume;
    this.state = 'body';
    const settle = this.settleHeaders;
    this.settleHeaders = undefined;
    settle?.resolve({ statusCode, headers: parseRawHeaders(rawHeaders), body: this, trailers: this.trailers, headersOnly: false, dump: () => this.dump() });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.consumer) return this.consumer.onData(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    return this.heldBytes < HELD_BYTES;
  }

  onComplete(trailers: string[] | null): void {
    parseRawHeaders(trailers, this.trailers);
    this.state = 'complete';
    this.done();
    this.consumer?.onEnd();
  }

  onError(err: Error): void {
    this.state = 'failed';
    this.error = err;
    this.done();
    const settle = this.settleHeaders;
    this.settleHeaders = undefined;
    if (settle) return settle.reject(err);
    this.consumer?.onError(err);
  }

  relay(dst: Sink, onChunk: (chunk: Buffer) => void, beforeEnd?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let watchingDrain = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        if (watchingDrain) dst.off('drain', onDrain);
        dst.off('close', onClose);
        dst.off('error', onDstError);
        dst.off('finish', onFinish);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => this.resumeUpstream?.();
      const onFinish = (): void => finish();
      const onClose = (): void => {
        this.abortUpstream?.(new Error('downstream closed'));
        finish(new Error('downstream closed before the response completed'));
      };
      const onDstError = (err: Error): void => {
        this.abortUpstream?.(err);
        dst.destroy();
        finish(err);
      };
      dst.once('close', onClose);
      dst.once('error', onDstError);
      dst.once('finish', onFinish);
      const write = (c: Buffer): boolean => {
        onChunk(c);
        const ok = dst.write(c);
        // `drain` is watched from the first chunk the downstream could not take (most bodies never pause).
        if (!ok && !watchingDrain && !settled) {
          watchingDrain = true;
          dst.on('drain', onDrain);
        }
        return ok;
      };
      const end = (): void => {
        beforeEnd?.();
        dst.end();
      };
      const fail = (err: Error): void => {
        dst.destroy();
        finish(err);
      };
      for (const c of this.held) write(c);
      this.held = [];
      if (this.state === 'complete') return end();
      if (this.state === 'failed') return fail(this.error as Error);
      this.consumer = { onData: write, onEnd: end, onError: fail };
      this.resumeUpstream?.();
    });
  }

  /** Reads and discards the body (before a retry); resolves when it ended or failed. */
  dump(): Promise<void> {
    this.held = [];
    if (this.state === 'complete' || this.state === 'failed') return Promise.resolve();
    return new Promise((resolve) => {
      this.consumer = { onData: () => true, onEnd: resolve, onError: () => resolve() };
      this.resumeUpstream?.();
    });
  }

  private done(): void {
    this.signal.off('abort', this.onAbort);
  }
}
