import { EventEmitter } from 'node:events';
import type { ClusterConfig, EndpointAssignment } from '../config/model';
import { clusterAdsSecrets, emptyAssignment } from '../config/model';
import type { Rng } from '../routing';
import type { StatsStore } from '../stats';
import { EndpointCluster, type UpstreamCluster } from './cluster';
import { OriginalDstCluster } from './original-dst';
import type { TransportRegistry } from './transport';
import { deepEqual } from '../util/deep-equal';

export interface ClusterManagerOptions {
  transports: TransportRegistry;
  stats: StatsStore;
  rng: Rng;
  /** Envoy's initial_fetch_timeout (default 15 s): a warming cluster activates without endpoints after it. */
  initialFetchTimeoutMs: number;
}

interface Warming {
  config: ClusterConfig;
  timer: NodeJS.Timeout;
}

/**
 * Owns the clusters. A cluster that needs EDS warms until its ClusterLoadAssignment arrives; while
 * it warms, the previous version of the same cluster (if any) keeps serving. Emits `warmed` when no
 * cluster is warming any more.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/cluster_manager#cluster-warming
 */
export class ClusterManager extends EventEmitter {
  private readonly active = new Map<string, UpstreamCluster>();
  private readonly warming = new Map<string, Warming>();
  /** Last assignment per EDS service name, kept while some cluster subscribes to it. */
  private readonly assignments = new Map<string, EndpointAssignment>();

  constructor(private readonly opts: ClusterManagerOptions) {
    super();
  }

  get(name: string): UpstreamCluster | undefined {
    return this.active.get(name);
  }

  clusters(): readonly UpstreamCluster[] {
    return [...this.active.values()];
  }

  warmingNames(): string[] {
    return [...this.warming.keys()];
  }

  /** Applies a complete CDS set (state of the world): absent clusters are removed. */
  applyClusters(next: ReadonlyMap<string, ClusterConfig>): void {
    for (const name of [...this.active.keys(), ...this.warming.keys()]) if (!next.has(name)) this.remove(name);
    for (const config of next.values()) {
      const current = this.warming.get(config.name)?.config ?? this.active.get(config.name)?.config;
      if (current && deepEqual(current, config)) continue;
      this.cancelWarming(config.name);
      const assignment = this.assignmentFor(config);
      if (config.type === 'EDS' && !assignment) this.startWarming(config);
      else this.activate(config, assignment);
    }
    this.pruneAssignments();
    this.opts.stats.gauge('cluster_manager.active_clusters').set(this.active.size);
    this.emitIfWarm();
  }

  /** Applies ClusterLoadAssignments by service name; only the ones given change. */
  applyEndpoints(assignments: ReadonlyMap<string, EndpointAssignment>): void {
    for (const [service, a] of assignments) this.assignments.set(service, a);
    for (const c of this.active.values()) {
      const service = c.config.edsServiceName;
      const a = service === undefined ? undefined : assignments.get(service);
      if (c.config.type === 'EDS' && a) c.setEndpoints(a);
    }
    for (const w of [...this.warming.values()]) {
      const a = this.assignmentFor(w.config);
      if (a) {
        this.cancelWarming(w.config.name);
        this.activate(w.config, a);
      }
    }
    this.emitIfWarm();
  }

  /** EDS service names of active and warming clusters, sorted (the EDS subscription). */
  /** SDS names (over ADS) the active and warming clusters' transports reference (part of the SDS subscription). */
  adsSecretNames(): string[] {
    const configs = [...[...this.active.values()].map((c) => c.config), ...[...this.warming.values()].map((w) => w.config)];
    return [...new Set(configs.flatMap(clusterAdsSecrets))].sort();
  }

  edsServiceNames(): string[] {
    const configs = [...[...this.active.values()].map((c) => c.config), ...[...this.warming.values()].map((w) => w.config)];
    const names = new Set(configs.flatMap((c) => (c.type === 'EDS' && c.edsServiceName ? [c.edsServiceName] : [])));
    return [...names].sort();
  }

  async close(): Promise<void> {
    for (const name of this.warming.keys()) this.cancelWarming(name);
    const all = [...this.active.values()];
    this.active.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private assignmentFor(c: ClusterConfig): EndpointAssignment | undefined {
    if (c.type !== 'EDS') return c.loadAssignment;
    return c.edsServiceName === undefined ? undefined : this.assignments.get(c.edsServiceName);
  }

  private activate(config: ClusterConfig, assignment: EndpointAssignment | undefined): void {
    const stats = this.opts.stats.scope('cluster', config.name);
    const deps = { transports: this.opts.transports.forCluster(config, stats), stats, rng: this.opts.rng };
    const cluster = config.type === 'ORIGINAL_DST' ? new OriginalDstCluster(config, deps) : new EndpointCluster(config, deps, assignment);
    const old = this.active.get(config.name);
    this.active.set(config.name, cluster);
    if (old) void old.close();
  }

  private startWarming(config: ClusterConfig): void {
    const timer = setTimeout(() => {
      this.warming.delete(config.name);
      this.opts.stats.counter('cluster_manager.warming_timeout').inc();
      this.activate(config, emptyAssignment(config.name));
      this.emitIfWarm();
    }, this.opts.initialFetchTimeoutMs);
    timer.unref();
    this.warming.set(config.name, { config, timer });
  }

  private cancelWarming(name: string): void {
    const w = this.warming.get(name);
    if (w) clearTimeout(w.timer);
    this.warming.delete(name);
  }

  private remove(name: string): void {
    this.cancelWarming(name);
    const c = this.active.get(name);
    this.active.delete(name);
    if (c) void c.close();
  }

  private pruneAssignments(): void {
    const keep = new Set(this.edsServiceNames());
    for (const k of this.assignments.keys()) if (!keep.has(k)) this.assignments.delete(k);
  }

  private emitIfWarm(): void {
    if (this.warming.size === 0) this.emit('warmed');
  }
}
