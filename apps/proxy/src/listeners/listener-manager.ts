import { EventEmitter } from 'node:events';
import { type ListenerConfig, listenerAdsSecrets, rdsNames } from '../config/model';
import type { ConnectionManager } from '../http';
import type { RouteStore } from '../routing';
import type { StatsStore } from '../stats';
import type { TcpProxyDeps } from '../tcp/tcp-proxy';
import type { SecretStore } from '../tls/secret-store';
import { deepEqual } from '../util/deep-equal';
import { ActiveListener, listenerStatName } from './active-listener';

export interface ListenerManagerDeps {
  connectionManager: ConnectionManager;
  /** What TcpProxy filter chains need: clusters, randomness, stats, access log. */
  tcp: TcpProxyDeps;
  /** SDS secrets (`default`, `ROOTCA`) TLS filter chains resolve. */
  secrets: SecretStore;
  routes: RouteStore;
  stats: StatsStore;
  log: (msg: string) => void;
  /** Delay before retrying a failed bind. */
  bindRetryMs?: number;
  /** Envoy's initial_fetch_timeout for RDS: a listener stops warming after it (routes then 404). */
  initialFetchTimeoutMs?: number;
  /**
   * False: listeners are translated, warmed and activated but never bound (the primary of a proxy
   * with worker processes, which validates config for ACK/NACK while the workers serve). Default true.
   */
  bindListeners?: boolean;
}

export interface ListenerManagerEvents {
  /** Every listener of the last LDS update is serving (bound, routes present). */
  ready: [];
}

/**
 * LDS listeners: a listener (or a new version of one) warms until its route configurations and
 * the SDS secrets it fetches over ADS (gateway credentials) are present, then binds (or swaps config into the server already bound to the same address) while
 * the old version keeps serving; removed listeners drain.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/lds
 */
export class ListenerManager extends EventEmitter<ListenerManagerEvents> {
  private readonly active = new Map<string, ActiveListener>();
  private readonly warming = new Map<string, ListenerConfig>();
  private readonly binding = new Set<string>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private warmTimer?: NodeJS.Timeout;

  constructor(private readonly deps: ListenerManagerDeps) {
    super();
    // A secret arriving over SDS may complete a warming listener (Envoy's SDS init target).
    deps.secrets.on('update', () => {
      if (this.warming.size) this.promote();
    });
  }

  all(): readonly ActiveListener[] {
    return [...this.active.values()];
  }

  warmingNames(): string[] {
    return [...this.warming.keys()];
  }

  /** RDS names referenced by active and warming listeners (the RDS subscription). */
  routeConfigNames(): string[] {
    const configs = [...[...this.active.values()].map((l) => l.config), ...this.warming.values()];
    const names = configs.flatMap(rdsNames);
    return [...new Set(names)].sort();
  }

  /** SDS names (over ADS) referenced by active and warming listeners (part of the SDS subscription). */
  adsSecretNames(): string[] {
    const configs = [...[...this.active.values()].map((l) => l.config), ...this.warming.values()];
    return [...new Set(configs.flatMap(listenerAdsSecrets))].sort();
  }

  /** True if an active listener is bound to `host:port` (or to the wildcard address on that port). */
  servesAddress(host: string, port: number): boolean {
    for (const l of this.active.values()) {
      const a = l.config.address;
      if (a.port === port && (a.host === host || a.host === '0.0.0.0' || a.host === '::')) return true;
    }
    return false;
  }

  /** True when nothing warms or binds. */
  isReady(): boolean {
    const bindsPorts = this.deps.bindListeners !== false;
    return this.warming.size === 0 && this.binding.size === 0 && [...this.active.values()].every((l) => l.bound || !l.config.bindToPort || !bindsPorts);
  }

  /** Applies a complete LDS set (state of the world). */
  apply(next: ReadonlyMap<string, ListenerConfig>): void {
    for (const name of [...this.active.keys(), ...this.warming.keys()]) if (!next.has(name)) this.remove(name);
    for (const cfg of next.values()) {
      const cur = this.active.get(cfg.name);
      this.warming.delete(cfg.name);
      if (cur && deepEqual(cur.config, cfg)) continue;
      this.warming.set(cfg.name, cfg);
    }
    this.promote();
    if (this.warming.size && !this.warmTimer) {
      this.warmTimer = setTimeout(() => {
        this.warmTimer = undefined;
        if (this.warming.size) this.deps.stats.counter('listener_manager.warming_timeout').inc();
        this.promote(true);
      }, this.deps.initialFetchTimeoutMs ?? 15_000);
      this.warmTimer.unref();
    }
  }

  /**
   * Called after RDS or SDS changes: warming listeners whose routes and secrets arrived (or all,
   * if forced by the initial fetch timeout) start serving.
   */
  promote(force = false): void {
    for (const cfg of [...this.warming.values()]) {
      if (!force && (rdsNames(cfg).some((n) => !this.deps.routes.has(n)) || listenerAdsSecrets(cfg).some((n) => !this.deps.secrets.get(n)))) continue;
      this.warming.delete(cfg.name);
      this.activate(cfg);
    }
    this.emitIfReady();
  }

  /** Drains every listener (each for its HCM drain timeout) and stops. */
  async close(): Promise<void> {
    for (const t of this.retryTimers.values()) clearTimeout(t);
    clearTimeout(this.warmTimer);
    const all = [...this.active.values()];
    this.active.clear();
    this.warming.clear();
    await Promise.all(all.map((l) => l.drain()));
  }

  private activate(cfg: ListenerConfig): void {
    const cur = this.active.get(cfg.name);
    if (cur && deepEqual(cur.config.address, cfg.address) && cur.config.bindToPort === cfg.bindToPort) {
      cur.update(cfg);
      return;
    }
    const l = new ActiveListener(cfg, {
      connectionManager: this.deps.connectionManager,
      tcp: this.deps.tcp,
      routes: this.deps.routes,
      secrets: this.deps.secrets,
      stats: this.deps.stats.scope('listener', listenerStatName(cfg)),
    });
    this.active.set(cfg.name, l);
    if (cur) void cur.drain();
    this.bind(l);
  }

  private bind(l: ActiveListener): void {
    const name = l.config.name;
    if (this.deps.bindListeners === false) {
      this.emitIfReady();
      return;
    }
    this.binding.add(name);
    l.bind().then(
      () => {
        this.binding.delete(name);
        this.deps.stats.counter('listener_manager.listener_create_success').inc();
        this.emitIfReady();
      },
      (err: unknown) => {
        this.deps.stats.counter('listener_manager.listener_create_failure').inc();
        this.deps.log(`listener ${name}: cannot bind ${l.config.address.host}:${l.config.address.port}: ${err instanceof Error ? err.message : String(err)}`);
        const timer = setTimeout(() => {
          this.retryTimers.delete(name);
          if (this.active.get(name) === l) this.bind(l);
        }, this.deps.bindRetryMs ?? 1000);
        this.retryTimers.set(name, timer);
      },
    );
  }

  private remove(name: string): void {
    this.warming.delete(name);
    this.binding.delete(name);
    clearTimeout(this.retryTimers.get(name));
    const l = this.active.get(name);
    this.active.delete(name);
    if (l) void l.drain();
    this.deps.stats.counter('listener_manager.listener_removed').inc();
  }

  private emitIfReady(): void {
    this.deps.stats.gauge('listener_manager.total_listeners_active').set(this.active.size);
    this.deps.stats.gauge('listener_manager.total_listeners_warming').set(this.warming.size);
    if (this.isReady()) this.emit('ready');
  }
}
