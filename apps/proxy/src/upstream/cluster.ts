import type { ClusterConfig, EndpointAssignment, LbEndpoint } from '../config/model';
import { emptyAssignment } from '../config/model';
import type { Rng } from '../routing';
import type { GaugeReader, StatsScope } from '../stats';
import type { Cancellation } from '../util/cancellation';
import { ClusterBalancer } from './balancer';
import { type Admission, CircuitBreakers } from './circuit-breakers';
import { type HostOptions, UpstreamHost, hostKey } from './host';
import { OutlierDetector, type OutlierResult } from './outlier-detection';
import type { ClusterTransports } from './transport';

export interface PickContext {
  /** The request's `host:port` target, for ORIGINAL_DST clusters. */
  destination?: { host: string; port: number };
  /** Host keys already tried (retry host predicate `previous_hosts`). */
  exclude?: ReadonlySet<string>;
  /** host_selection_retry_max_attempts: extra picks spent avoiding `exclude` (Envoy default 1). */
  maxAttempts?: number;
  /** The request hash from the route's hash policies (RING_HASH / MAGLEV). */
  hash?: bigint;
  /** Priorities to avoid (retry priority `previous_priorities`). */
  excludePriorities?: ReadonlySet<number>;
}

export interface ClusterDeps {
  /** Picks each endpoint's transport (transport_socket_matches, else the cluster's transport_socket). */
  transports: ClusterTransports;
  stats: StatsScope;
  rng: Rng;
}

/**
 * A cluster that can take traffic: hosts, a load balancer, circuit breakers and (when configured)
 * an outlier detector.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/cluster_manager
 */
export abstract class UpstreamCluster {
  readonly breakers: CircuitBreakers;
  readonly outlier?: OutlierDetector;

  constructor(
    readonly config: ClusterConfig,
    protected readonly deps: ClusterDeps,
  ) {
    // An HTTP/2 connection carries up to max_concurrent_streams requests at once.
    this.breakers = new CircuitBreakers(config.circuitBreakers, deps.stats, () => this.hosts(), config.protocol === 'http2' ? config.maxConcurrentStreams : 1);
    if (config.outlierDetection) this.outlier = new OutlierDetector(config.outlierDetection, deps.stats, deps.rng, () => this.refresh());
  }

  get stats(): StatsScope {
    return this.deps.stats;
  }

  /** In-flight requests (circuit breaker max_requests). */
  get active(): number {
    return this.breakers.requests;
  }

  protected hostOptions(ep: LbEndpoint): HostOptions {
    const c = this.config;
    return {
      connector: this.deps.transports.forEndpoint(ep),
      connectTimeoutMs: c.connectTimeoutMs,
      maxRequestsPerConnection: c.maxRequestsPerConnection,
      maxConcurrentStreams: c.maxConcurrentStreams,
      stats: this.deps.stats,
      maxConnections: c.circuitBreakers.maxConnections,
      idleTimeoutMs: c.idleTimeoutMs,
      maxConnectionDurationMs: c.maxConnectionDurationMs,
      tcpKeepaliveMs: c.tcpKeepaliveMs,
      onDisconnect: () => this.breakers.wake(),
    };
  }

  /** True when another request would exceed circuit_breakers max_requests (Envoy flag UO). */
  overflowing(): boolean {
    return this.breakers.requests >= this.config.circuitBreakers.maxRequests;
  }

  /** A connection slot on `host` for one attempt (max_connections / max_pending_requests). */
  admit(host: UpstreamHost, cancel: readonly Cancellation[]): Admission | Promise<Admission> {
    return this.breakers.admit(host, cancel);
  }

  /** The attempt on `host` is over: frees its connection slot. */
  release(host: UpstreamHost): void {
    this.breakers.release(host);
  }

  /** Feeds the outlier detector with an attempt's outcome. */
  report(host: UpstreamHost, result: OutlierResult): void {
    this.outlier?.report(host, result);
  }

  abstract pick(ctx: PickContext): UpstreamHost | undefined;
  abstract hosts(): readonly UpstreamHost[];
  abstract setEndpoints(assignment: EndpointAssignment): void;
  /** Health changed (outlier ejection): rebuild the load balancer. */
  protected abstract refresh(): void;

  /** Lets in-flight requests finish, then closes every pool. */
  async close(): Promise<void> {
    this.outlier?.close();
    this.breakers.abandonPending();
    this.breakers.detach();
    await Promise.all(this.hosts().map((h) => h.close()));
  }
}

/** STATIC, EDS and *_DNS clusters: a host list from the load assignment. */
export class EndpointCluster extends UpstreamCluster {
  private list: UpstreamHost[] = [];
  private factor = 1.4;
  private balancer!: ClusterBalancer<UpstreamHost>;
  private healthy = 0;
  /** `membership_total` / `membership_healthy`, read when stats are read. */
  private readonly membership: GaugeReader = () => [
    ['membership_total', this.list.length],
    ['membership_healthy', this.healthy],
  ];

  constructor(config: ClusterConfig, deps: ClusterDeps, assignment?: EndpointAssignment) {
    super(config, deps);
    this.setEndpoints(assignment ?? emptyAssignment(config.name));
    deps.stats.readGauges('membership', this.membership);
  }

  override async close(): Promise<void> {
    this.deps.stats.stopReading('membership', this.membership);
    await super.close();
  }

  /**
   * Replaces the endpoints, keeping hosts (their pools and outlier state) whose address and
   * transport are unchanged: an endpoint that moves between plaintext and TLS gets a new host.
   */
  setEndpoints(assignment: EndpointAssignment): void {
    const old = new Map(this.list.map((h) => [h.key, h]));
    const next: UpstreamHost[] = [];
    for (const ep of assignment.endpoints) {
      const key = hostKey(ep.host, ep.port);
      const kept = old.get(key);
      if (kept && kept.connector === this.deps.transports.forEndpoint(ep)) {
        kept.endpoint = ep;
        old.delete(key);
        next.push(kept);
      } else next.push(new UpstreamHost(ep, this.hostOptions(ep)));
    }
    for (const gone of old.values()) void gone.close();
    this.list = next;
    this.factor = assignment.overprovisioningFactor;
    this.outlier?.setHosts(next);
    this.refresh();
  }

  protected refresh(): void {
    this.balancer = new ClusterBalancer(this.list, this.config, this.factor, this.deps.rng);
    this.healthy = this.list.filter((h) => !h.ejected && (h.endpoint.health === 'HEALTHY' || h.endpoint.health === 'UNKNOWN')).length;
  }

  hosts(): readonly UpstreamHost[] {
    // The base constructor asks for hosts (circuit breaker gauges) before this class's fields exist.
    return this.list ?? [];
  }

  /**
   * One host; with a retry host predicate (`exclude`), up to `maxAttempts` more picks avoid hosts
   * already tried, then the last pick stands (Envoy's LoadBalancerBase::chooseHost).
   */
  pick(ctx: PickContext): UpstreamHost | undefined {
    const extra = ctx.exclude ? (ctx.maxAttempts ?? 1) : 0;
    let host: UpstreamHost | undefined;
    for (let attempt = 0; attempt <= extra; attempt++) {
      host = this.balancer.pick({ hash: ctx.hash, attempt, excludePriorities: ctx.excludePriorities });
      if (!host || !ctx.exclude?.has(host.key)) return host;
    }
    return host;
  }
}
