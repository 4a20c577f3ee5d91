import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import type http2 from 'node:http2';
import type { DownstreamResponse } from '../http/downstream';
import { isGrpcRequest } from '../http/grpc';

type WriteDone = (err?: Error | null) => void;

/** Connection-specific fields HTTP/2 forbids (RFC 9113 section 8.2.2); node's compat layer dropped `connection` too. */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** A gRPC response (content-type as Envoy tests it) always ends in trailers, grpc-status: nothing to hold for. */
function endsInTrailers(headers: OutgoingHttpHeaders): boolean {
  const ct = headers['content-type'];
  return typeof ct === 'string' && isGrpcRequest({ 'content-type': ct });
}

/**
 * An HTTP/2 response written through node's core stream API. node's compatibility API
 * (Http2ServerResponse) always responds with `waitForTrailers`, so every response ended in a
 * frame of its own (empty DATA or trailers), sent from a later event-loop turn: one more write and
 * segment per response at every hop.
 *
 * Here a response whose trailers are unknown is held (headers and body chunks) until it ends or
 * this event-loop turn is over. Ended in time, it goes out whole: HEADERS + DATA with END_STREAM
 * (node shuts the stream's writable side right after a last write made together with `end`),
 * or HEADERS with END_STREAM, in one write; `waitForTrailers` only if trailers were added. Still
 * open at the end of the turn, it is sent with `waitForTrailers` (trailers may follow) and streams
 * from there; its headers leave one loop iteration later than they would have. A gRPC response
 * (trailers certain) is sent at once. Trailers always cost a write of their own: node sends them
 * from a setImmediate once the last DATA was written.
 * https://nodejs.org/api/http2.html#http2streamrespondheaders-options
 */
export class H2DownstreamResponse extends EventEmitter implements DownstreamResponse {
  statusCode = 200;
  private readonly headers: OutgoingHttpHeaders = {};
  private trailers?: OutgoingHttpHeaders;
  /** open: nothing sent; held: headers (and chunks) kept back; sent: respond() done. */
  private phase: 'open' | 'held' | 'sent' = 'open';
  private ended = false;
  private held: Uint8Array[] = [];
  private flushTimer?: NodeJS.Immediate;

  constructor(readonly stream: http2.ServerHttp2Stream) {
    super();
    stream.on('drain', () => this.emit('drain'));
    stream.once('finish', () => this.emit('finish'));
    stream.once('close', () => {
      clearImmediate(this.flushTimer);
      this.emit('close');
    });
  }

  /** True once writeHead ran: the headers can no longer change, even while held. */
  get headersSent(): boolean {
    return this.phase !== 'open';
  }

  get writable(): boolean {
    return !this.ended && !this.stream.destroyed;
  }

  get writableFinished(): boolean {
    return this.stream.writableFinished;
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    if (this.phase !== 'open') throw new Error(`cannot set header ${name}: the response headers were sent`);
    const key = name.toLowerCase();
    if (!CONNECTION_SPECIFIC.has(key)) this.headers[key] = typeof value === 'object' ? [...value] : value;
    return this;
  }

  getHeader(name: string): number | string | string[] | undefined {
    return this.headers[name.toLowerCase()];
  }

  addTrailers(trailers: OutgoingHttpHeaders): void {
    this.trailers ??= {};
    for (const [k, v] of Object.entries(trailers)) if (v !== undefined) this.trailers[k.toLowerCase()] = v;
  }

  writeHead(statusCode: number, headers: OutgoingHttpHeaders = {}): this {
    if (this.phase !== 'open') throw new Error('the response headers were sent');
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) this.setHeader(k, v);
    this.statusCode = statusCode;
    this.phase = 'held';
    if (endsInTrailers(this.headers)) this.commit(false);
    else this.flushTimer = setImmediate(() => this.phase === 'held' && this.commit(false));
    return this;
  }

  write(chunk: string | Uint8Array, encoding?: BufferEncoding | WriteDone, cb?: WriteDone): boolean {
    const done = typeof encoding === 'function' ? encoding : cb;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk;
    if (this.ended) {
      if (done) process.nextTick(done, new Error('write after end'));
      return false;
    }
    if (this.phase === 'open') this.writeHead(this.statusCode);
    if (this.phase === 'held') {
      this.held.push(buf);
      if (done) process.nextTick(done);
      return true;
    }
    const s = this.stream;
    if (s.destroyed) return false;
    // No body after a HEAD request or a 204/205/304 (node ended the stream at respond()).
    if (s.writableEnded) return true;
    return s.write(buf, done);
  }

  end(chunk?: string | Uint8Array | (() => void), encoding?: BufferEncoding | (() => void), cb?: () => void): this {
    if (typeof chunk === 'function') [cb, chunk] = [chunk, undefined];
    else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
    if (this.ended) {
      if (cb) process.nextTick(cb);
      return this;
    }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    this.ended = true;
    if (cb) this.once('finish', cb);
    if (this.phase !== 'sent') this.commit(true);
    else if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
    return this;
  }

  destroy(err?: Error): void {
    clearImmediate(this.flushTimer);
    this.ended = true;
    this.stream.destroy(err);
  }

  /**
   * Sends what is held: HEADERS, the held chunks, and with `end` the end of the stream. Trailers
   * are waited for when added, or when the response is not ended yet (they may still come).
   */
  private commit(end: boolean): void {
    clearImmediate(this.flushTimer);
    this.phase = 'sent';
    const body = this.held;
    this.held = [];
    const s = this.stream;
    if (s.destroyed || s.closed) return;
    const waitForTrailers = !end || (this.trailers !== undefined && Object.keys(this.trailers).length > 0);
    try {
      s.respond({ ...this.headers, ':status': this.statusCode }, { endStream: end && !waitForTrailers && body.length === 0, waitForTrailers });
    } catch (err) {
      // A header node refuses (invalid value or status): the stream is reset instead.
      return void s.destroy(err as Error);
    }
    if (waitForTrailers) s.once('wantTrailers', () => this.sendTrailers());
    if (s.writableEnded) return;
    // Corked, the chunks reach the stream as one writev that `end` follows in the same tick, so
    // node puts END_STREAM on the last DATA frame.
    s.cork();
    for (const c of body) s.write(c);
    if (end) s.end();
    else s.uncork();
  }

  private sendTrailers(): void {
    try {
      this.stream.sendTrailers(this.trailers ?? {});
    } catch (err) {
      this.stream.destroy(err as Error);
    }
  }
}
