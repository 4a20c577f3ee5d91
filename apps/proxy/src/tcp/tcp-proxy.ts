import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { TcpProxyConfig, TcpTunnelingConfig } from '../config/model';
import type { ConnectionInfo, ServedConnection } from '../net/connection';
import { type AccessLogSink, formatAccessLog } from '../http/access-log';
import { type ResponseFlag, type StreamInfo, newStreamInfo } from '../http/stream-info';
import type { Rng } from '../routing';
import type { StatsScope, StatsStore } from '../stats';
import type { UpstreamCluster, UpstreamHost } from '../upstream';
import { openHttpTunnel } from './http-tunnel';

export interface TcpProxyDeps {
  clusters: { get(name: string): UpstreamCluster | undefined };
  rng: Rng;
  stats: StatsStore;
  accessLog?: AccessLogSink;
}

/** A weighted pick over TcpProxy's clusters (weights > 0). */
export function pickTcpCluster(cfg: TcpProxyConfig, rng: Rng): string | undefined {
  if (cfg.clusters.length <= 1) return cfg.clusters[0]?.name;
  let r = Math.floor(rng() * cfg.totalWeight);
  for (const c of cfg.clusters) {
    if (r < c.weight) return c.name;
    r -= c.weight;
  }
  return cfg.clusters[cfg.clusters.length - 1].name;
}

/**
 * Envoy's tcp_proxy network filter for one filter chain: each downstream connection goes to one
 * cluster (weighted pick), whose load balancer picks the host; the connection is retried on
 * another host up to max_connect_attempts within the cluster's connect timeout; then bytes flow
 * both ways with half-close (a FIN from one side is passed on, the other direction keeps
 * flowing); the idle timeout closes both sides after no traffic either way. The cluster's
 * max_connections circuit breaker refuses connections past it (flag UO). Stats are Envoy's
 * `tcp.<stat_prefix>.*` and the cluster's `upstream_cx_*`; the access log prints `"- - -"`. With
 * tunneling_config the stream goes over HTTP/1.1 CONNECT (or POST) through the upstream host.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/network_filters/tcp_proxy_filter
 */
export class TcpProxy {
  private readonly stats: StatsScope;

  constructor(
    readonly config: TcpProxyConfig,
    private readonly deps: TcpProxyDeps,
  ) {
    this.stats = deps.stats.scope('tcp', config.statPrefix);
  }

  /** `conn` gives the downstream addresses (the PROXY protocol header of a cluster that sends one). */
  serve(downstream: Duplex, conn?: ConnectionInfo): ServedConnection {
    const session = new TcpSession(this.config, this.deps, this.stats, downstream, conn);
    session.start();
    return { drain: () => undefined, destroy: () => session.close() };
  }
}

class TcpSession {
  private readonly info: StreamInfo;
  private upstream?: Duplex;
  private cluster?: UpstreamCluster;
  private idleTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly cfg: TcpProxyConfig,
    private readonly deps: TcpProxyDeps,
    private readonly stats: StatsScope,
    private readonly downstream: Duplex,
    private readonly conn: ConnectionInfo | undefined,
  ) {
    this.info = newStreamInfo('-', '-', '-');
    this.info.protocol = '-';
    downstream.on('error', () => this.close());
    downstream.once('close', this.closedEarly);
  }

  /** The downstream went away before the upstream connection was up. */
  private readonly closedEarly = (): void => {
    this.info.flags.add('DC');
    this.close();
  };

  start(): void {
    this.stats.counter('downstream_cx_total').inc();
    const name = pickTcpCluster(this.cfg, this.deps.rng);
    this.info.upstreamCluster = name;
    const cluster = name === undefined ? undefined : this.deps.clusters.get(name);
    if (!cluster) {
      this.stats.counter('downstream_cx_no_route').inc();
      return this.fail('NC');
    }
    this.cluster = cluster;
    this.connect(cluster, 1);
  }

  private connect(cluster: UpstreamCluster, attempt: number): void {
    const host = cluster.pick({});
    if (!host) {
      cluster.stats.counter('upstream_cx_none_healthy').inc();
      return this.fail('UH');
    }
    // circuit_breakers max_connections: no new upstream connection past it (flag UO).
    const b = cluster.breakers;
    if (b.limits.maxConnections < 2 ** 31 && b.connectionsInUse() >= b.limits.maxConnections) {
      cluster.stats.counter('upstream_cx_overflow').inc();
      return this.fail('UO');
    }
    this.info.upstreamHost = host.key;
    cluster.stats.counter('upstream_cx_total').inc();
    const { socket: up, ready } = host.dial({ allowHalfOpen: true, downstream: this.conn });
    const timer = setTimeout(() => {
      cluster.stats.counter('upstream_cx_connect_timeout').inc();
      up.destroy(new Error('connect timeout'));
    }, cluster.config.connectTimeoutMs);
    const onError = (): void => {
      clearTimeout(timer);
      cluster.stats.counter('upstream_cx_connect_fail').inc();
      if (this.closed) return;
      if (attempt < this.cfg.maxConnectAttempts) return this.connect(cluster, attempt + 1);
      if (attempt > 1) this.stats.counter('upstream_cx_connect_attempts_exceeded').inc();
      this.fail('UF');
    };
    up.once('error', onError);
    up.once(ready, () => {
      clearTimeout(timer);
      up.off('error', onError);
      if (this.closed) return void up.destroy();
      if (this.cfg.tunneling) this.tunnel(cluster, host, up, this.cfg.tunneling);
      else this.splice(cluster, host, up);
    });
  }

  /** tunneling_config: the stream flows only after the upstream answered CONNECT/POST with a 2xx; otherwise the downstream closes. */
  private tunnel(cluster: UpstreamCluster, host: UpstreamHost, up: net.Socket, t: TcpTunnelingConfig): void {
    this.upstream = up;
    up.on('error', () => undefined);
    openHttpTunnel(up, t).then(
      (stream) => (this.closed ? stream.destroy() : this.splice(cluster, host, stream)),
      () => {
        cluster.stats.counter('upstream_cx_connect_fail').inc();
        this.fail('UF');
      },
    );
  }

  /** Both directions flow; a FIN is passed on (pipe ends the other side's writable half). */
  private splice(cluster: UpstreamCluster, host: UpstreamHost, up: Duplex): void {
    this.upstream = up;
    this.downstream.off('close', this.closedEarly);
    const cs = cluster.stats;
    cs.gauge('upstream_cx_active').inc();
    host.active++;
    host.connections++;
    up.once('close', () => {
      cs.gauge('upstream_cx_active').dec();
      host.active--;
      host.connections--;
      cluster.breakers.wake();
    });
    this.armIdle();
    const down = this.downstream;
    down.on('data', (c: Buffer) => {
      this.info.bytesReceived += c.length;
      cs.counter('upstream_cx_tx_bytes_total').inc(c.length);
      this.idleTimer?.refresh();
    });
    up.on('data', (c: Buffer) => {
      this.info.bytesSent += c.length;
      cs.counter('upstream_cx_rx_bytes_total').inc(c.length);
      this.idleTimer?.refresh();
    });
    up.on('error', () => this.close());
    // A side that closes completely ends the other after its pending bytes are flushed.
    up.on('close', () => this.finishWriting(down));
    down.on('close', () => this.finishWriting(up));
    down.pipe(up);
    up.pipe(down);
  }

  private finishWriting(s: Duplex): void {
    if (s.destroyed) return this.close();
    s.end(() => this.close());
  }

  private armIdle(): void {
    const ms = this.cfg.idleTimeoutMs;
    if (ms <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.stats.counter('idle_timeout').inc();
      this.close();
    }, ms);
  }

  private fail(flag: ResponseFlag): void {
    this.info.flags.add(flag);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.downstream.destroy();
    this.upstream?.destroy();
    this.deps.accessLog?.(formatAccessLog(this.info, Date.now()));
  }
}
