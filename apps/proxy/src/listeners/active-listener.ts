import { once } from 'node:events';
import net from 'node:net';
import type { FilterChainConfig, ListenerConfig } from '../config/model';
import type { ConnectionManager } from '../http';
import type { RouteStore } from '../routing';
import type { StatsScope } from '../stats';
import type { TcpProxyDeps } from '../tcp/tcp-proxy';
import type { SecretStore } from '../tls/secret-store';
import { inspectTls } from '../tls/tls-inspector';
import { ChainRuntime } from './chain-runtime';
import { type ConnectionFacts, selectFilterChain } from './filter-chain-selector';

export interface ActiveListenerDeps {
  connectionManager: ConnectionManager;
  tcp: TcpProxyDeps;
  routes: RouteStore;
  secrets: SecretStore;
  stats: StatsScope;
}

/** Envoy's listener stat prefix: `listener.<ip>_<port>.`. */
export const listenerStatName = (c: ListenerConfig): string => `${c.address.host}_${c.address.port}`;

/**
 * One bound listener: a TCP server whose connections go through the listener filters
 * (tls_inspector), then the filter chain chosen by FilterChainMatch, which terminates TLS if it
 * says so and hands the connection to its HttpConnectionManager or TcpProxy. An update with the
 * same address swaps chains in place: unchanged chains keep their connections, removed or
 * replaced chains drain.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/listeners/listeners
 */
export class ActiveListener {
  private server?: net.Server;
  private isDraining = false;
  private chains = new Map<string, ChainRuntime>();
  private retired = new Set<ChainRuntime>();
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private cfg: ListenerConfig,
    private readonly deps: ActiveListenerDeps,
  ) {
    this.update(cfg);
  }

  get config(): ListenerConfig {
    return this.cfg;
  }

  get bound(): boolean {
    return this.server?.listening ?? false;
  }

  get connections(): number {
    return this.sockets.size;
  }

  draining(): boolean {
    return this.isDraining;
  }

  /** Swaps in a new config for the same address; chains are matched by name. */
  update(cfg: ListenerConfig): void {
    this.cfg = cfg;
    const next = new Map<string, ChainRuntime>();
    const all: FilterChainConfig[] = cfg.defaultFilterChain ? [...cfg.filterChains, cfg.defaultFilterChain] : [...cfg.filterChains];
    for (const chain of all) {
      const cur = this.chains.get(chain.name);
      if (cur?.canUpdate(chain)) {
        cur.update(chain);
        next.set(chain.name, cur);
        this.chains.delete(chain.name);
      } else next.set(chain.name, new ChainRuntime(chain, { ...this.deps, listenerDraining: () => this.isDraining }));
    }
    for (const gone of this.chains.values()) this.retire(gone);
    this.chains = next;
  }

  /** A chain no longer configured: its connections drain, then close after the drain timeout. */
  private retire(chain: ChainRuntime): void {
    this.retired.add(chain);
    chain.drain();
    // HTTP chains drain for their drain_timeout; TCP proxy connections get the same 5 s default.
    const ms = chain.config.filter.kind === 'http' ? chain.config.filter.hcm.drainTimeoutMs : 5000;
    setTimeout(() => {
      chain.destroy();
      this.retired.delete(chain);
    }, ms).unref();
  }

  async bind(): Promise<void> {
    if (!this.cfg.bindToPort) return;
    // TCP_NODELAY as Envoy (and node's http.Server) set it: small writes must not wait for ACKs.
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (s) => void this.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.cfg.address.port, this.cfg.address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => this.deps.stats.counter('listener_error').inc());
    this.server = server;
  }

  private async accept(s: net.Socket): Promise<void> {
    this.track(s);
    s.on('error', () => s.destroy());
    const facts: ConnectionFacts = {
      localAddress: s.localAddress ?? '',
      localPort: s.localPort ?? 0,
      remoteAddress: s.remoteAddress ?? '',
      remotePort: s.remotePort ?? 0,
      transportProtocol: 'raw_buffer',
      applicationProtocols: [],
    };
    const cfg = this.cfg;
    if (cfg.tlsInspector) {
      const o = await inspectTls(s, cfg.listenerFiltersTimeoutMs, cfg.continueOnListenerFiltersTimeout, this.deps.stats);
      if (o.kind === 'closed' || o.kind === 'failed') return void s.destroy();
      if (o.kind === 'tls') Object.assign(facts, { transportProtocol: 'tls', serverName: o.serverName, applicationProtocols: o.alpn });
    }
    const chains = [...this.chains.values()];
    const fallback = cfg.defaultFilterChain && this.chains.get(cfg.defaultFilterChain.name);
    const chain = selectFilterChain(
      chains.filter((c) => c !== fallback),
      facts,
      fallback,
    );
    if (!chain) {
      this.deps.stats.counter('no_filter_chain_match').inc();
      return void s.destroy();
    }
    await chain.accept(s, facts);
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    this.deps.stats.counter('downstream_cx_total').inc();
    this.deps.stats.gauge('downstream_cx_active').inc();
    s.once('close', () => {
      this.sockets.delete(s);
      this.deps.stats.gauge('downstream_cx_active').dec();
    });
  }

  /**
   * Envoy's drain: stop accepting, ask HTTP/1.1 clients to close (`connection: close` on their
   * next response, idle connections closed now) and HTTP/2 clients to go away (GOAWAY), and after
   * `drainMs` close whatever is left, TCP proxy connections included.
   * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/operations/draining
   */
  async drain(drainMs = this.drainTimeoutMs()): Promise<void> {
    this.isDraining = true;
    const server = this.server;
    const chains = [...this.chains.values(), ...this.retired];
    for (const c of chains) c.drain();
    if (!server) return;
    const closed = once(server, 'close');
    server.close();
    const timer = setTimeout(() => {
      for (const c of chains) c.destroy();
      for (const s of this.sockets) s.destroy();
    }, drainMs);
    await closed;
    clearTimeout(timer);
    for (const c of chains) c.destroy();
  }

  /** The longest drain timeout of the listener's HTTP chains (Envoy default 5 s). */
  private drainTimeoutMs(): number {
    const http = [...this.chains.values()].flatMap((c) => (c.config.filter.kind === 'http' ? [c.config.filter.hcm.drainTimeoutMs] : []));
    return http.length ? Math.max(...http) : 5000;
  }
}
