import net from 'node:net';

type Done = (status: number, error?: Error) => void;

/**
 * One keep-alive HTTP/1.1 client connection with a minimal response parser (status line,
 * Content-Length or chunked bodies, no pipelining). Cheap enough that the load generator adds
 * little of its own latency; written for the bench's own upstreams and proxies, not the world.
 */
export class Http1Connection {
  private socket?: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'trailer' = 'head';
  private remaining = 0;
  private status = 0;
  private done?: Done;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  get busy(): boolean {
    return this.done !== undefined;
  }

  get open(): boolean {
    return !!this.socket && !this.socket.destroyed;
  }

  connect(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.port, noDelay: true });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect ${this.host}:${this.port} timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        this.socket = s;
        this.buf = Buffer.alloc(0);
        this.state = 'head';
        resolve();
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        this.fail(e);
        reject(e);
      });
      s.on('data', (chunk: Buffer) => this.onData(chunk));
      s.on('close', () => this.fail(new Error('connection closed')));
    });
  }

  /** Writes one request; `done` is called once with the status or an error. */
  send(request: Buffer, done: Done): void {
    if (!this.socket || this.socket.destroyed) {
      done(0, new Error('not connected'));
      return;
    }
    this.done = done;
    this.socket.write(request);
  }

  close(): void {
    this.socket?.destroy();
  }

  private fail(e: Error): void {
    const d = this.done;
    this.done = undefined;
    this.socket?.destroy();
    d?.(0, e);
  }

  private complete(): void {
    const d = this.done;
    this.done = undefined;
    this.state = 'head';
    d?.(this.status);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.parse();
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private parse(): void {
    for (;;) {
      if (this.state === 'head') {
        const i = this.buf.indexOf('\r\n\r\n');
        if (i < 0) return;
        const head = this.buf.toString('latin1', 0, i);
        this.status = Number(head.slice(9, 12));
        const chunked = /\r\ntransfer-encoding:[ \t]*chunked/i.test(head);
        const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
        this.buf = this.buf.subarray(i + 4);
        if (chunked) this.state = 'chunk-size';
        else {
          this.remaining = length ? Number(length[1]) : 0;
          this.state = 'body';
        }
      } else if (this.state === 'body' || this.state === 'chunk-data') {
        const take = Math.min(this.remaining, this.buf.length);
        this.remaining -= take;
        this.buf = this.buf.subarray(take);
        if (this.remaining > 0) return;
        if (this.state === 'body') this.complete();
        else this.state = 'chunk-size';
      } else if (this.state === 'chunk-size') {
        const i = this.buf.indexOf('\r\n');
        if (i < 0) return;
        const size = parseInt(this.buf.toString('latin1', 0, i), 16);
        if (!Number.isFinite(size)) throw new Error('bad chunk size');
        this.buf = this.buf.subarray(i + 2);
        if (size === 0) this.state = 'trailer';
        else {
          this.remaining = size + 2; // data + CRLF
          this.state = 'chunk-data';
        }
      } else {
        const i = this.buf.indexOf('\r\n');
        if (i < 0) return;
        this.buf = this.buf.subarray(i + 2);
        if (i === 0) this.complete();
      }
      if (this.buf.length === 0 && this.state !== 'body') return;
      if (this.buf.length === 0 && this.remaining > 0) return;
    }
  }
}
