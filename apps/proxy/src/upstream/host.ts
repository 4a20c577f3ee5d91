import type { LbEndpoint } from '../config/model';
import { H2ClientPool } from '../h2/h2-client-pool';
import type { ConnectionInfo } from '../net/connection';
import type { StatsScope } from '../stats';
import { OutlierState } from './outlier-detection';
import type { Dialled, UpstreamConnector } from './transport';
import { Pool } from './undici-parts';

export interface HostOptions {
  connector: UpstreamConnector;
  connectTimeoutMs: number;
  maxRequestsPerConnection: number;
  /** HTTP/2 clusters: streams per connection (max_concurrent_streams). */
  maxConcurrentStreams?: number;
  /** Cluster stats scope: connection counters are per cluster, as in Envoy. */
  stats: StatsScope;
  /** circuit_breakers max_connections: also caps the host's pool (undici queues past it). */
  maxConnections?: number;
  /** Idle time after which a pooled connection closes (undici's default when unset). */
  idleTimeoutMs?: number;
  /** Connection age after which it takes no new requests and closes when idle (max_connection_duration). */
  maxConnectionDurationMs?: number;
  /** Idle time before TCP keepalive probes. */
  tcpKeepaliveMs?: number;
  /** A connection closed: pending requests may now open one. */
  onDisconnect?: () => void;
}

/** ALPN for HTTP/2 over TLS: the configured list if it names h2, else h2 first (the protocol comes from the cluster). */
function h2Alpn(c: UpstreamConnector): readonly string[] {
  return c.alpn.includes('h2') ? c.alpn : ['h2', ...c.alpn];
}

/** `host:port`, bracketing IPv6 literals. */
export function hostKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The pools of one downstream connection (clusters whose connections carry its identity). */
interface DownstreamPools {
  pool?: Pool;
  h2?: H2ClientPool;
}

/**
 * One upstream endpoint with its keep-alive connection pool. Hosts outlive EDS updates that keep
 * their address, so pools (and their idle connections) are reused. When the transport sends the
 * PROXY protocol, each downstream connection gets pools of its own (Envoy hashes its connection
 * pools by the transport socket options, which then include the downstream addresses), closed
 * when that connection closes.
 */
export class UpstreamHost {
  readonly key: string;
  /** When this host joined its cluster (slow start ages from here). */
  readonly addedAtMs = Date.now();
  endpoint: LbEndpoint;
  /** In-flight requests (least-request LB input, `/clusters` rq_active). */
  active = 0;
  total = 0;
  errors = 0;
  connections = 0;
  /** Requests holding a connection (circuit breaker admission). */
  dispatched = 0;
  /** Outlier detection state; `ejected` hosts leave the load balancing set. */
  outlier = new OutlierState();
  private poolInstance?: Pool;
  private h2Instance?: H2ClientPool;
  /** ALPN for HTTP/1.1 over TLS (computed once: the connector is fixed for the host's life). */
  private http1AlpnList?: readonly string[];
  /** Pools per downstream connection (PROXY protocol upstreams), created on first use. */
  private downstreamPools?: Map<string, DownstreamPools>;

  constructor(
    endpoint: LbEndpoint,
    private readonly opts: HostOptions,
  ) {
    this.endpoint = endpoint;
    this.key = hostKey(endpoint.host, endpoint.port);
  }

  /** The transport this host's connections use (chosen by transport_socket_matches). */
  get connector(): UpstreamConnector {
    return this.opts.connector;
  }

  /** A raw connection to the host over its transport (TCP proxy), on behalf of `downstream`. */
  dial(opts?: { allowHalfOpen?: boolean; downstream?: ConnectionInfo }): Dialled {
    return this.opts.connector.dial(this.endpoint.host, this.endpoint.port, { ...opts, keepAliveMs: this.opts.tcpKeepaliveMs });
  }

  /**
   * A dedicated HTTP/1.1 connection over the host's transport (an HTTP upgrade, which takes the
   * connection over): TLS with the configured ALPN minus h2, as the HTTP/1.1 pools offer, and the
   * PROXY protocol header naming `downstream`. Envoy sends upgrades over the cluster's transport
   * socket like any request. https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/upgrades
   */
  dialHttp1(downstream: ConnectionInfo | undefined): Dialled {
    this.http1AlpnList ??= this.opts.connector.alpn.filter((p) => p !== 'h2');
    return this.opts.connector.dial(this.endpoint.host, this.endpoint.port, { alpn: this.http1AlpnList, keepAliveMs: this.opts.tcpKeepaliveMs, downstream });
  }

  get weight(): number {
    return this.endpoint.weight;
  }

  get ejected(): boolean {
    return this.outlier.ejected;
  }

  /** The keep-alive pool, created on first use (a large EDS update creates no sockets or pools). */
  get pool(): Pool {
    this.poolInstance ??= this.createPool();
    return this.poolInstance;
  }

  /** HTTP/2 sessions to this host (h2c, or h2 over the TLS transport), created on first use (HTTP/2 clusters). */
  get h2(): H2ClientPool {
    this.h2Instance ??= this.createH2();
    return this.h2Instance;
  }

  /** The HTTP/1.1 pool for a request arriving on `downstream`: its own one when connections carry its identity. */
  poolFor(downstream: ConnectionInfo | undefined): Pool {
    const own = this.poolsOf(downstream);
    if (!own) return this.pool;
    own.pool ??= this.createPool(downstream);
    return own.pool;
  }

  /** The HTTP/2 sessions for a request arriving on `downstream` (see poolFor). */
  h2For(downstream: ConnectionInfo | undefined): H2ClientPool {
    const own = this.poolsOf(downstream);
    if (!own) return this.h2;
    own.h2 ??= this.createH2(downstream);
    return own.h2;
  }

  private poolsOf(d: ConnectionInfo | undefined): DownstreamPools | undefined {
    if (!d?.onClose || !this.opts.connector.perDownstream) return undefined;
    const key = `${d.remoteAddress}|${d.remotePort}|${d.localAddress}|${d.localPort}`;
    const pools = (this.downstreamPools ??= new Map());
    let own = pools.get(key);
    if (!own) {
      const created: DownstreamPools = {};
      own = created;
      pools.set(key, created);
      d.onClose(() => {
        if (pools.get(key) === created) pools.delete(key);
        void closePools(created);
      });
    }
    return own;
  }

  private createH2(downstream?: ConnectionInfo): H2ClientPool {
    const o = this.opts;
    const { host, port } = this.endpoint;
    const tls = o.connector.scheme === 'https';
    return new H2ClientPool({
      host,
      port,
      scheme: o.connector.scheme,
      // Over TLS, offer h2 by ALPN unless the context lists its own protocols; a PROXY protocol
      // transport dials too (its header goes first).
      connect: tls || o.connector.perDownstream ? () => o.connector.dial(host, port, { alpn: tls ? h2Alpn(o.connector) : undefined, keepAliveMs: o.tcpKeepaliveMs, downstream }).socket : undefined,
      connectTimeoutMs: o.connectTimeoutMs,
      maxConcurrentStreams: o.maxConcurrentStreams ?? 2147483647,
      maxRequestsPerConnection: o.maxRequestsPerConnection,
      idleTimeoutMs: o.idleTimeoutMs ?? 0,
      maxConnectionDurationMs: o.maxConnectionDurationMs ?? 0,
      stats: o.stats,
      onConnect: () => this.connections++,
      onDisconnect: () => {
        this.connections--;
        o.onDisconnect?.();
      },
    });
  }

  private createPool(downstream?: ConnectionInfo): Pool {
    const { connector, connectTimeoutMs, maxRequestsPerConnection, stats, maxConnections, idleTimeoutMs, maxConnectionDurationMs, tcpKeepaliveMs } = this.opts;
    const pool = new Pool(`${connector.scheme}://${this.key}`, {
      connect: connector.connectOptions(this.endpoint.host, this.endpoint.port, connectTimeoutMs, { keepAliveMs: tcpKeepaliveMs, downstream }),
      ...(idleTimeoutMs ? { keepAliveTimeout: idleTimeoutMs, keepAliveMaxTimeout: idleTimeoutMs } : {}),
      // max_connection_duration: undici stamps each connection at connect; past the age the pool
      // takes it out of rotation at the next dispatch and closes it once its request is done
      // (an older idle one is closed then, or earlier by the keep-alive timeout).
      ...(maxConnectionDurationMs ? { clientTtl: maxConnectionDurationMs } : {}),
      // Timeouts are the router's (route / per-try); undici's own would fire independently.
      headersTimeout: 0,
      bodyTimeout: 0,
      // undici resets a connection after maxRequestsPerClient + 1 requests; pipelining 0 means one.
      ...(maxRequestsPerConnection === 1 ? { pipelining: 0 } : { maxRequestsPerClient: maxRequestsPerConnection > 1 ? maxRequestsPerConnection - 1 : undefined }),
      connections: maxConnections !== undefined && maxConnections >= 1 && maxConnections < 2 ** 31 ? maxConnections : null,
    });
    pool.on('connect', () => {
      this.connections++;
      stats.counter('upstream_cx_total').inc();
      stats.gauge('upstream_cx_active').inc();
    });
    pool.on('disconnect', () => {
      this.connections--;
      stats.gauge('upstream_cx_active').dec();
      this.opts.onDisconnect?.();
    });
    pool.on('connectionError', () => stats.counter('upstream_cx_connect_fail').inc());
    return pool;
  }

  /** Waits for in-flight requests, then closes the pools' connections. */
  async close(): Promise<void> {
    const own = [...(this.downstreamPools?.values() ?? [])];
    this.downstreamPools?.clear();
    await Promise.all([closePools({ pool: this.poolInstance, h2: this.h2Instance }), ...own.map(closePools)]);
  }
}

async function closePools(p: DownstreamPools): Promise<void> {
  await Promise.all([p.pool && !p.pool.closed ? p.pool.close() : undefined, p.h2?.close()]);
}
