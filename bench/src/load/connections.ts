import http2 from 'node:http2';
import { Http1Connection } from './http1-connection';

/** Which protocol a load run speaks. */
export type LoadProtocol = 'http1' | 'h2' | 'grpc';

/** Where and what to send: an HTTP/1.1 request target, an HTTP/2 path, or a gRPC method. */
export interface LoadTarget {
  protocol: LoadProtocol;
  host: string;
  port: number;
  /** HTTP/1.1: request target (absolute-form for a forward proxy). HTTP/2: `:path`. gRPC: method path. */
  target: string;
  /** Host header / `:authority` (for gRPC, the channel's default authority). */
  hostHeader: string;
}

/** One client connection carrying one request at a time. */
export interface LoadConnection {
  connect(timeoutMs?: number): Promise<void>;
  /** Sends one request; `done` gets the status (HTTP status, or 200 for gRPC OK) or an error. */
  send(done: (status: number, error?: Error) => void): void;
  close(): void;
}

class H1 implements LoadConnection {
  private readonly conn: Http1Connection;
  private readonly request: Buffer;

  constructor(t: LoadTarget) {
    this.conn = new Http1Connection(t.host, t.port);
    this.request = Buffer.from(`GET ${t.target} HTTP/1.1\r\nHost: ${t.hostHeader}\r\nUser-Agent: mizzen-bench\r\n\r\n`, 'latin1');
  }

  connect(timeoutMs?: number): Promise<void> {
    return this.conn.connect(timeoutMs);
  }

  send(done: (status: number, error?: Error) => void): void {
    this.conn.send(this.request, done);
  }

  close(): void {
    this.conn.close();
  }
}

/** An h2c (prior knowledge) session; one stream at a time, as an HTTP/1.1 connection carries one request. */
class H2 implements LoadConnection {
  private session?: http2.ClientHttp2Session;

  constructor(private readonly t: LoadTarget) {}

  connect(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = http2.connect(`http://${this.t.host}:${this.t.port}`);
      const timer = setTimeout(() => reject(new Error('h2 connect timed out')), timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        this.session = s;
        resolve();
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      s.on('error', () => undefined);
    });
  }

  send(done: (status: number, error?: Error) => void): void {
    const s = this.session;
    if (!s || s.destroyed) return done(0, new Error('not connected'));
    let status = 0;
    const req = s.request({ ':method': 'GET', ':path': this.t.target, ':authority': this.t.hostHeader });
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', () => undefined);
    req.once('end', () => done(status));
    req.once('error', (e) => done(0, e));
    req.end();
  }

  close(): void {
    this.session?.destroy();
  }

  currentSession(): http2.ClientHttp2Session | undefined {
    return this.session;
  }
}

/** An empty gRPC message: compressed-flag 0, length 0 (gRPC over HTTP/2, PROTOCOL-HTTP2.md). */
const EMPTY_GRPC_MESSAGE = Buffer.alloc(5);

/**
 * gRPC unary calls spoken directly on an h2c session (POST, application/grpc, te: trailers, a
 * length-prefixed message; success = HTTP 200 and grpc-status 0 in trailers or trailers-only
 * headers). The wire is real gRPC; skipping grpc-js keeps the load generator's own cost near the
 * HTTP/2 client's, so the direct baseline is not the bottleneck.
 */
class Grpc implements LoadConnection {
  private readonly h2: H2;

  constructor(private readonly t: LoadTarget) {
    this.h2 = new H2(t);
  }

  connect(timeoutMs?: number): Promise<void> {
    return this.h2.connect(timeoutMs);
  }

  send(done: (status: number, error?: Error) => void): void {
    const s = this.h2.currentSession();
    if (!s || s.destroyed) return done(0, new Error('not connected'));
    let status = 0;
    let grpcStatus: string | undefined;
    const req = s.request({ ':method': 'POST', ':path': this.t.target, ':authority': this.t.hostHeader, 'content-type': 'application/grpc', te: 'trailers' });
    req.on('response', (h) => {
      status = Number(h[':status']);
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    req.on('trailers', (h) => {
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    req.on('data', () => undefined);
    req.once('end', () => done(status === 200 && grpcStatus === '0' ? 200 : status === 200 ? 500 : status));
    req.once('error', (e) => done(0, e));
    req.end(EMPTY_GRPC_MESSAGE);
  }

  close(): void {
    this.h2.close();
  }
}

export function openConnection(t: LoadTarget): LoadConnection {
  return t.protocol === 'h2' ? new H2(t) : t.protocol === 'grpc' ? new Grpc(t) : new H1(t);
}
