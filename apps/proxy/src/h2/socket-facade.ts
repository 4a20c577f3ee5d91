import { Duplex } from 'node:stream';

/**
 * A plain JS Duplex in front of a socket. node:http2 reads a net/TLS socket through its native
 * handle, which bypasses bytes the proxy already read and put back with `unshift` (the h2c preface
 * sniff, tls_inspector); handed this facade instead, http2 reads through JS and sees every byte.
 * Addresses are copied because http2 cannot ask a non-native socket for them.
 */
export class SocketFacade extends Duplex {
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly localPort?: number;

  constructor(private readonly inner: Duplex & { remoteAddress?: string; remotePort?: number; localAddress?: string; localPort?: number }) {
    super({ allowHalfOpen: true });
    this.remoteAddress = inner.remoteAddress;
    this.remotePort = inner.remotePort;
    this.localAddress = inner.localAddress;
    this.localPort = inner.localPort;
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.inner.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }

  /** http2 calls these on its socket; a facade has nothing to tune. */
  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setTimeout(): this {
    return this;
  }
}
