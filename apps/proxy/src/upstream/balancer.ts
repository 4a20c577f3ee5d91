import type { ClusterConfig, LbEndpoint } from '../config/model';
import type { Rng } from '../routing';
import { type HashBalancer, MaglevLb, RingHashLb, type WeightedHost } from './hash-lb';
import { type LbHost, type LoadBalancer, RoundRobinLb, createLoadBalancer } from './load-balancer';
import { type PriorityLoads, choosePriority, priorityLoads } from './priority-load';

/** A host as the balancer sees it: address key, weight, load, EDS data and outlier ejection. */
export interface BalancedHost extends LbHost {
  readonly endpoint: LbEndpoint;
  readonly ejected: boolean;
}

export interface BalancerPick {
  /** The request hash (RING_HASH / MAGLEV); a random one is used when absent. */
  hash?: bigint;
  /** 0 for the first pick; more when a retry host predicate rejected earlier picks. */
  attempt: number;
  /** Priorities a retry must avoid (previous_priorities): treated as without healthy hosts. */
  excludePriorities?: ReadonlySet<number>;
}

type Source = 'healthy' | 'degraded' | 'all';

interface Level<H> {
  all: H[];
  healthy: H[];
  degraded: H[];
}

/** A locality of one level and source, with its effective weight (an LbHost for the locality picker). */
interface LocalityBucket<H> extends LbHost {
  hosts: H[];
}

export type BalancerSettings = Pick<ClusterConfig, 'lbPolicy' | 'panicThreshold' | 'localityWeighted' | 'hashLb' | 'choiceCount' | 'slowStart'>;

const isHealthy = (h: BalancedHost): boolean => !h.ejected && (h.endpoint.health === 'HEALTHY' || h.endpoint.health === 'UNKNOWN');
const isDegraded = (h: BalancedHost): boolean => !h.ejected && h.endpoint.health === 'DEGRADED';

/**
 * One snapshot of a cluster's hosts, grouped the way Envoy's load balancers see them: priority
 * levels (traffic split by priorityLoads with the overprovisioning factor; a level in panic uses
 * all its hosts), then, with locality-weighted LB, localities picked by weight x availability,
 * then the cluster's policy within the chosen hosts. Outlier-ejected hosts count as unhealthy.
 * Built again whenever membership or health changes; per-source balancers are built on first use.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/overview
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/locality_weight
 */
export class ClusterBalancer<H extends BalancedHost> {
  readonly loads: PriorityLoads;
  private readonly levels: Level<H>[] = [];
  // Per-source caches, created on first use: most clusters of a sidecar never take a request,
  // and an empty Map costs ~200 bytes.
  private lbs?: Map<string, LoadBalancer<H>>;
  private hashLbs?: Map<string, HashBalancer<H>>;
  private localityPickers?: Map<string, LoadBalancer<LocalityBucket<H>> | null>;
  private excludedLoads?: Map<string, PriorityLoads>;
  /** One level, no degraded hosts, no localities, no hashing: the source never changes. */
  private readonly single?: LoadBalancer<H>;

  constructor(
    hosts: readonly H[],
    private readonly settings: BalancerSettings,
    private readonly factor: number,
    private readonly rng: Rng,
  ) {
    for (const h of hosts) {
      const p = h.endpoint.priority;
      while (this.levels.length <= p) this.levels.push({ all: [], healthy: [], degraded: [] });
      const level = this.levels[p];
      level.all.push(h);
      if (isHealthy(h)) level.healthy.push(h);
      else if (isDegraded(h)) level.degraded.push(h);
    }
    const counts = this.levels.map((l) => ({ total: l.all.length, healthy: l.healthy.length, degraded: l.degraded.length }));
    this.loads = priorityLoads(counts, factor, settings.panicThreshold);
    const only = this.levels.length === 1 ? this.levels[0] : undefined;
    if (only && !only.degraded.length && !this.hashed && !settings.localityWeighted) {
      this.single = createLoadBalancer(settings.lbPolicy, this.loads.panic[0] ? only.all : only.healthy, rng, settings.choiceCount, settings.slowStart);
    }
  }

  private get hashed(): boolean {
    return this.settings.lbPolicy === 'RING_HASH' || this.settings.lbPolicy === 'MAGLEV';
  }

  pick(opts: BalancerPick): H | undefined {
    if (this.single) return this.single.pick();
    if (!this.levels.length) return undefined;
    const hash = this.hashed ? (opts.hash ?? this.randomHash()) : undefined;
    const r = hash === undefined ? Math.floor(this.rng() * 100) : Number(hash % 100n);
    const loads = this.loadsExcluding(opts.excludePriorities);
    const { priority, degraded } = choosePriority(loads, r);
    const source: Source = loads.panic[priority] ? 'all' : degraded ? 'degraded' : 'healthy';
    if (hash !== undefined) return this.hashLb(priority, source).pick(hash, opts.attempt);
    const level = this.levels[priority];
    if (this.settings.localityWeighted && source !== 'all') {
      const bucket = this.localityPicker(priority, source)?.pick();
      if (bucket) return this.lb(`${priority}|${source}|${bucket.key}`, bucket.hosts).pick();
    }
    return this.lb(`${priority}|${source}`, level[source]).pick();
  }

  /**
   * Priority loads with some levels treated as having no healthy or degraded host (Envoy's
   * PreviousPrioritiesRetryPriority); when that would leave nothing, the exclusion is dropped, as
   * Envoy resets it once every priority was tried.
   */
  private loadsExcluding(excluded: ReadonlySet<number> | undefined): PriorityLoads {
    if (!excluded?.size || this.levels.length < 2) return this.loads;
    const key = [...excluded].sort((a, b) => a - b).join(',');
    this.excludedLoads ??= new Map();
    let loads = this.excludedLoads.get(key);
    if (!loads) {
      const counts = this.levels.map((l, p) => (excluded.has(p) ? { total: l.all.length, healthy: 0, degraded: 0 } : { total: l.all.length, healthy: l.healthy.length, degraded: l.degraded.length }));
      loads = counts.every((c, p) => excluded.has(p) || c.total === 0) ? this.loads : priorityLoads(counts, this.factor, this.settings.panicThreshold);
      this.excludedLoads.set(key, loads);
    }
    return loads;
  }

  private randomHash(): bigint {
    return (BigInt(Math.floor(this.rng() * 2 ** 32)) << 32n) | BigInt(Math.floor(this.rng() * 2 ** 32));
  }

  private lb(key: string, hosts: H[]): LoadBalancer<H> {
    this.lbs ??= new Map();
    let lb = this.lbs.get(key);
    if (!lb) this.lbs.set(key, (lb = createLoadBalancer(this.settings.lbPolicy, hosts, this.rng, this.settings.choiceCount, this.settings.slowStart)));
    return lb;
  }

  /** Localities of a level with eligible hosts, weighted by locality weight x min(1, factor x eligible / all). */
  private localities(priority: number, source: Source): LocalityBucket<H>[] {
    const level = this.levels[priority];
    const byName = new Map<string, { weight: number; all: number; hosts: H[] }>();
    for (const h of level.all) {
      const e = byName.get(h.endpoint.locality) ?? { weight: h.endpoint.localityWeight, all: 0, hosts: [] };
      e.all++;
      byName.set(h.endpoint.locality, e);
    }
    for (const h of level[source]) byName.get(h.endpoint.locality)?.hosts.push(h);
    const out: LocalityBucket<H>[] = [];
    for (const [name, e] of byName) {
      const weight = e.weight * Math.min(1, (this.factor * e.hosts.length) / e.all);
      if (weight > 0) out.push({ key: name, weight, active: 0, hosts: e.hosts });
    }
    return out;
  }

  private localityPicker(priority: number, source: Source): LoadBalancer<LocalityBucket<H>> | null {
    const key = `${priority}|${source}`;
    this.localityPickers ??= new Map();
    let picker = this.localityPickers.get(key);
    if (picker === undefined) {
      const buckets = this.localities(priority, source);
      picker = buckets.length ? new RoundRobinLb(buckets, Math.floor(this.rng() * buckets.length)) : null;
      this.localityPickers.set(key, picker);
    }
    return picker;
  }

  /** Host shares for a hash balancer: weight within the set, or within the locality x the locality's share. */
  private shares(priority: number, source: Source): WeightedHost<H>[] {
    const hosts = this.levels[priority][source];
    const buckets = this.settings.localityWeighted && source !== 'all' ? this.localities(priority, source) : [];
    if (!buckets.length) {
      const total = hosts.reduce((n, h) => n + h.weight, 0);
      return hosts.map((host) => ({ host, share: host.weight / total }));
    }
    const totalLocality = buckets.reduce((n, b) => n + b.weight, 0);
    return buckets.flatMap((b) => {
      const total = b.hosts.reduce((n, h) => n + h.weight, 0);
      return b.hosts.map((host) => ({ host, share: (host.weight / total) * (b.weight / totalLocality) }));
    });
  }

  private hashLb(priority: number, source: Source): HashBalancer<H> {
    const key = `${priority}|${source}`;
    this.hashLbs ??= new Map();
    let lb = this.hashLbs.get(key);
    if (!lb) {
      const shares = this.shares(priority, source);
      const { minimumRingSize, maximumRingSize, tableSize } = this.settings.hashLb;
      lb = this.settings.lbPolicy === 'MAGLEV' ? new MaglevLb(shares, tableSize) : new RingHashLb(shares, minimumRingSize, maximumRingSize);
      this.hashLbs.set(key, lb);
    }
    return lb;
  }
}
