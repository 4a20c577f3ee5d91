import http2 from 'node:http2';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { StatsScope } from '../stats';

export interface H2PoolOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Streams per connection we open at most (the cluster's max_concurrent_streams; the peer may allow fewer). */
  maxConcurrentStreams: number;
  /** Streams per connection over its life; 0 = unlimited (max_requests_per_connection). */
  maxRequestsPerConnection: number;
  /** Close a connection idle for this long (common_http_protocol_options.idle_timeout); 0 = never. */
  idleTimeoutMs: number;
  /** Drain a connection this old: no new streams, close once its streams are done (max_connection_duration); 0 = never. */
  maxConnectionDurationMs: number;
  stats: StatsScope;
  /** The `:scheme` of the authority (default: https when `connect` is given, else http). */
  scheme?: 'http' | 'https';
  /** Opens the connection over the cluster's transport (TLS, PROXY protocol); plaintext TCP when absent. */
  connect?: () => Duplex;
  onConnect(): void;
  onDisconnect(): void;
}

interface Conn {
  session: http2.ClientHttp2Session;
  ready: Promise<void>;
  active: number;
  total: number;
  /** No new streams: draining after GOAWAY, max requests or max age reached, or closing. */
  retired: boolean;
}

/** A connect failure with a code the router classifies as such (flag UF). */
function connectError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * HTTP/2 over plaintext (h2c, prior knowledge) to one upstream endpoint: a small pool of sessions,
 * each carrying up to min(our max_concurrent_streams, the peer's SETTINGS_MAX_CONCURRENT_STREAMS)
 * streams; a new session opens only when every open one is full. Sessions that received GOAWAY,
 * reached max_requests_per_connection or max_connection_duration, or idled past idle_timeout take
 * no new streams and close when their streams are done. undici's Pool cannot do h2c, hence node:http2.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/connection_pooling#http-2
 */
export class H2ClientPool {
  private readonly conns: Conn[] = [];
  private closed = false;

  constructor(private readonly o: H2PoolOptions) {}

  get connections(): number {
    return this.conns.length;
  }

  /**
   * Opens a stream on a session with room, connecting first if needed. A new session takes streams
   * only once the peer's SETTINGS arrived (its stream limit is known then). Rejects on connect failure.
   */
  async request(headers: http2.OutgoingHttpHeaders, endStream: boolean): Promise<http2.ClientHttp2Stream> {
    let conn: Conn | undefined;
    for (let tries = 0; !conn; tries++) {
      // A peer allowing no streams at all would have us open sessions forever.
      if (this.closed || tries > 8) throw connectError(this.closed ? 'pool closed' : 'no session accepts streams', 'ECONNREFUSED');
      const c = this.pick() ?? this.open();
      await c.ready;
      if (!c.retired && !c.session.destroyed && c.active < this.capacity(c)) conn = c;
    }
    conn.active++;
    conn.total++;
    if (this.o.maxRequestsPerConnection > 0 && conn.total >= this.o.maxRequestsPerConnection) conn.retired = true;
    const stream = conn.session.request(headers, { endStream });
    stream.once('close', () => {
      conn.active--;
      if (conn.retired && conn.active === 0) conn.session.close();
    });
    return stream;
  }

  private capacity(c: Conn): number {
    const peer = c.session.remoteSettings?.maxConcurrentStreams;
    return Math.min(this.o.maxConcurrentStreams, peer ?? this.o.maxConcurrentStreams);
  }

  private pick(): Conn | undefined {
    return this.conns.find((c) => !c.retired && !c.session.destroyed && c.active < this.capacity(c));
  }

  private open(): Conn {
    const { host, port, stats } = this.o;
    const authority = `${this.o.scheme ?? (this.o.connect ? 'https' : 'http')}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // TCP_NODELAY, as Envoy sets on upstream connections (node's http2 leaves Nagle on).
    const session = http2.connect(authority, { settings: { enablePush: false }, createConnection: () => this.o.connect?.() ?? net.connect({ host, port, noDelay: true }) });
    stats.counter('upstream_cx_total').inc();
    stats.counter('upstream_cx_http2_total').inc();
    const conn: Conn = { session, ready: Promise.resolve(), active: 0, total: 0, retired: false };
    let connected = false;
    conn.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => session.destroy(connectError(`connect timeout after ${this.o.connectTimeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT')), this.o.connectTimeoutMs);
      // Ready once the peer's SETTINGS (and so its stream limit) arrived.
      session.once('remoteSettings', () => {
        clearTimeout(timer);
        connected = true;
        stats.gauge('upstream_cx_active').inc();
        this.o.onConnect();
        resolve();
      });
      session.once('error', (err) => {
        clearTimeout(timer);
        if (!connected) stats.counter('upstream_cx_connect_fail').inc();
        reject(err);
      });
    });
    conn.ready.catch(() => undefined);
    session.on('error', () => undefined);
    session.on('goaway', () => (conn.retired = true));
    if (this.o.idleTimeoutMs > 0) session.setTimeout(this.o.idleTimeoutMs, () => (conn.active === 0 ? session.close() : undefined));
    const maxAge = this.o.maxConnectionDurationMs > 0 ? setTimeout(() => this.drain(conn), this.o.maxConnectionDurationMs).unref() : undefined;
    session.once('close', () => {
      clearTimeout(maxAge);
      conn.retired = true;
      const i = this.conns.indexOf(conn);
      if (i >= 0) this.conns.splice(i, 1);
      if (connected) {
        stats.gauge('upstream_cx_active').dec();
        this.o.onDisconnect();
      }
    });
    this.conns.push(conn);
    return conn;
  }

  /** Envoy's drain at max_connection_duration: no new streams; the session closes (GOAWAY) when its streams are done. */
  private drain(conn: Conn): void {
    conn.retired = true;
    if (conn.active === 0) conn.session.close();
  }

  /** Lets open streams finish (GOAWAY), then the sessions close. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.conns.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.session.closed || c.session.destroyed) return resolve();
            c.session.close(() => resolve());
          }),
      ),
    );
  }
}
