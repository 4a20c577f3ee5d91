import { Readable } from 'node:stream';

/** Envoy's default per_connection_buffer_limit_bytes: the most a retry may need to replay. */
export const DEFAULT_RETRY_BUFFER_BYTES = 1024 * 1024;

/**
 * A downstream request body streamed to upstream attempts without waiting for it: chunks flow
 * through as they arrive and are kept (up to `limit` bytes) so a retry can replay them. Past the
 * limit the body is no longer replayable and retries stop, as in Envoy where a request larger than
 * the buffer limit is not retried.
 * https://www.envoyproxy.io/docs/envoy/latest/faq/configuration/flow_control#retries-and-buffer-limits
 */
export class ReplayableBody {
  private readonly source: AsyncIterator<Buffer>;
  private chunks: Buffer[] = [];
  /** Index of `chunks[0]` in the whole body's chunk sequence. */
  private base = 0;
  private pending?: Promise<void>;
  private current?: object;
  private overflowed = false;
  private attempts = 0;
  private finished = false;
  /** Bytes read from downstream so far. */
  received = 0;
  /** Resolves when the downstream body has been read to its end. */
  readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    source: AsyncIterable<Buffer>,
    private readonly limit = DEFAULT_RETRY_BUFFER_BYTES,
  ) {
    this.source = source[Symbol.asyncIterator]();
    this.ended = new Promise((r) => (this.resolveEnded = r));
  }

  /** True while a new attempt can still get the whole body. */
  get replayable(): boolean {
    return !this.overflowed || this.attempts === 0;
  }

  /**
   * The whole body once read to its end (request mirroring), or null if it outgrew the buffer or
   * `giveUp` settled first. Never reads the body itself: the primary request drives it.
   */
  async copy(giveUp: Promise<void>): Promise<Buffer | null> {
    await Promise.race([this.ended, giveUp]);
    return this.finished && !this.overflowed ? Buffer.concat(this.chunks) : null;
  }

  /** A fresh body stream for the next attempt; earlier attempts' streams stop yielding. */
  attempt(): Readable {
    if (!this.replayable) throw new Error('request body exceeded the retry buffer');
    this.attempts++;
    const token = {};
    this.current = token;
    return Readable.from(this.iterate(token), { objectMode: false });
  }

  private async *iterate(token: object): AsyncGenerator<Buffer> {
    let i = this.base;
    while (this.current === token) {
      if (i < this.base + this.chunks.length) {
        yield this.chunks[i - this.base];
        i++;
        if (this.overflowed && this.current === token) this.trim(i);
      } else if (this.finished) return;
      else await this.pull();
    }
  }

  private trim(upTo: number): void {
    this.chunks.splice(0, upTo - this.base);
    this.base = upTo;
  }

  private pull(): Promise<void> {
    this.pending ??= this.source.next().then(
      (r) => {
        this.pending = undefined;
        if (r.done) {
          this.finished = true;
          this.resolveEnded();
          return;
        }
        this.chunks.push(r.value);
        this.received += r.value.length;
        if (this.received > this.limit) this.overflowed = true;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }
}
