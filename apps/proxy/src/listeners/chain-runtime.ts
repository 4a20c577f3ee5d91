import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FilterChainConfig, HttpConnectionManagerConfig } from '../config/model';
import type { ConnectionManager, ListenerContext } from '../http';
import { DownstreamCodec } from '../http/downstream-codec';
import type { ConnectionInfo, ServedConnection } from '../net/connection';
import { RouteTable, type RouteStore } from '../routing';
import { networkRbacDenial } from '../security/network-rbac';
import type { StatsScope } from '../stats';
import { TcpProxy, type TcpProxyDeps } from '../tcp/tcp-proxy';
import { tlsConnectionInfo } from '../tls/connection-info';
import { DownstreamTls } from '../tls/downstream-tls';
import type { SecretStore } from '../tls/secret-store';
import { deepEqual } from '../util/deep-equal';

export interface ChainDeps {
  connectionManager: ConnectionManager;
  tcp: TcpProxyDeps;
  routes: RouteStore;
  secrets: SecretStore;
  /** The listener's stats scope (`ssl.*` counters). */
  stats: StatsScope;
  /** True once the whole listener drains. */
  listenerDraining: () => boolean;
}

/** What a chain knows of a connection when it takes it over. */
export interface AcceptedConnection extends ConnectionInfo {
  /** SNI the tls_inspector read (for TLS chains). */
  serverName?: string;
}

/**
 * One filter chain at run time: optional TLS termination, then either the HTTP codecs feeding the
 * connection manager or a TCP proxy. An update that keeps the chain's kind and TLS settings swaps
 * the HCM / TcpProxy config in place, so open connections carry on.
 */
export class ChainRuntime implements ListenerContext {
  private tls?: DownstreamTls;
  private codec?: DownstreamCodec;
  private tcp?: TcpProxy;
  private inline?: RouteTable;
  private isDraining = false;
  private readonly served = new Set<ServedConnection>();

  constructor(
    private cfg: FilterChainConfig,
    private readonly deps: ChainDeps,
  ) {
    this.tls = cfg.tls && new DownstreamTls(cfg.tls, deps.secrets);
    this.apply(cfg);
  }

  get config(): FilterChainConfig {
    return this.cfg;
  }

  get match(): FilterChainConfig['match'] {
    return this.cfg.match;
  }

  get scheme(): string {
    return this.cfg.tls ? 'https' : 'http';
  }

  get hcm(): HttpConnectionManagerConfig {
    if (this.cfg.filter.kind !== 'http') throw new Error(`filter chain ${this.cfg.name} has no HttpConnectionManager`);
    return this.cfg.filter.hcm;
  }

  get connections(): number {
    return this.served.size;
  }

  draining(): boolean {
    return this.isDraining || this.deps.listenerDraining();
  }

  /** The route table in force: inline, or the RDS config by name (absent until it arrives). */
  routes(): RouteTable | undefined {
    const r = this.hcm.routes;
    return r.kind === 'inline' ? this.inline : this.deps.routes.get(r.name);
  }

  /** True when `next` can replace this chain's config without new sockets or TLS contexts. */
  canUpdate(next: FilterChainConfig): boolean {
    return next.filter.kind === this.cfg.filter.kind && deepEqual(next.tls, this.cfg.tls) && (next.filter.kind !== 'http' || this.cfg.filter.kind !== 'http' || deepEqual(next.filter.hcm.http2, this.cfg.filter.hcm.http2));
  }

  update(next: FilterChainConfig): void {
    this.cfg = next;
    this.apply(next);
  }

  private apply(cfg: FilterChainConfig): void {
    const f = cfg.filter;
    if (f.kind === 'tcp') {
      this.tcp = new TcpProxy(f.tcp, this.deps.tcp);
      return;
    }
    this.inline = f.hcm.routes.kind === 'inline' ? new RouteTable(f.hcm.routes.config) : undefined;
    if (this.codec) this.codec.applyTimeouts();
    else this.codec = new DownstreamCodec(this, this.deps.connectionManager);
  }

  /** Takes over a connection: terminates TLS if the chain says so, then serves it. */
  async accept(socket: Socket, info: AcceptedConnection): Promise<void> {
    let stream: Duplex = socket;
    let alpn: string | undefined;
    let tlsInfo: ConnectionInfo['tls'];
    if (this.tls) {
      const t = await this.tls.accept(socket, this.deps.stats);
      if (!t) return;
      stream = t;
      tlsInfo = tlsConnectionInfo(t, info.serverName);
      alpn = tlsInfo.alpn;
    }
    const conn: ConnectionInfo = {
      remoteAddress: info.remoteAddress,
      remotePort: info.remotePort,
      localAddress: info.localAddress,
      localPort: info.localPort,
      tls: tlsInfo,
      onClose: (listener) => (socket.closed ? process.nextTick(listener) : void socket.once('close', listener)),
    };
    // envoy.filters.network.rbac: before any byte reaches the HCM or an upstream connection opens.
    const rbac = this.cfg.filter.rbac;
    if (rbac?.length && networkRbacDenial(rbac, conn, this.deps.tcp.stats)) return void stream.destroy();
    const served = this.tcp && this.cfg.filter.kind === 'tcp' ? this.tcp.serve(stream, conn) : await this.codec?.serve(stream, conn, alpn);
    if (!served) return void stream.destroy();
    this.served.add(served);
    socket.once('close', () => this.served.delete(served));
    if (this.draining()) served.drain();
  }

  /** Asks every connection to finish (HTTP/1.1 close when idle, HTTP/2 GOAWAY); TCP runs on. */
  drain(): void {
    this.isDraining = true;
    for (const s of this.served) s.drain();
  }

  /** Closes every connection still open. */
  destroy(): void {
    for (const s of this.served) s.destroy();
    this.served.clear();
    this.codec?.close();
  }
}
