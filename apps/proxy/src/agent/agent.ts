import type http from 'node:http';
import { TypeUrl } from '@mizzen/xds-types';
import { startAdmin } from '../admin';
import { stdoutSink } from '../http';
import { ProxyRuntime, registerXdsHandlers } from '../runtime';
import { AdsClient, type AdsConnector, grpcAdsConnector } from '../xds-client';
import { PROXY_VERSION, buildNode } from './node';
import type { AgentOptions } from './options';

export interface AgentDeps {
  log: (msg: string) => void;
  /** Told once, when the initial config is applied and listeners are bound. */
  onReady?: () => void;
  /** POST /quitquitquit: called after the agent stopped. */
  onQuit?: () => void;
  /** Opens ADS streams; defaults to gRPC to `options.pilot`. */
  connector?: AdsConnector;
  initialFetchTimeoutMs?: number;
}

/** The initial xDS types that must be ACKed before the proxy is ready. */
const INITIAL_TYPES = [TypeUrl.Cluster, TypeUrl.Listener];

/**
 * The agent: builds the node identity, runs the ADS client against Pilot, applies config to the
 * proxy runtime, serves admin, and reports readiness (Envoy's init manager: initial CDS with its
 * EDS warmed, then LDS with its RDS, listeners bound).
 */
export class Agent {
  readonly runtime: ProxyRuntime;
  readonly client: AdsClient;
  private admin?: http.Server;
  private closeTransport?: () => void;
  private readonly acked = new Set<string>();
  private isReady = false;
  private readonly startedAt = new Date();

  constructor(
    readonly options: AgentOptions,
    private readonly deps: AgentDeps,
  ) {
    this.runtime = new ProxyRuntime({ log: deps.log, accessLog: options.accessLog ? stdoutSink : undefined, initialFetchTimeoutMs: deps.initialFetchTimeoutMs });
    let connect = deps.connector;
    if (!connect) {
      const grpc = grpcAdsConnector(options.pilot);
      connect = grpc.connect;
      this.closeTransport = grpc.close;
    }
    this.client = new AdsClient({ node: buildNode(options), connect });
    registerXdsHandlers(this.client, this.runtime);
    this.watch();
  }

  get ready(): boolean {
    return this.isReady;
  }

  private watch(): void {
    const gauge = this.runtime.stats.gauge('control_plane.connected_state');
    let failures = 0;
    this.client.on('connected', () => {
      gauge.set(1);
      if (failures) this.deps.log(`xDS stream to ${this.options.pilot} established after ${failures} failed attempt(s)`);
      failures = 0;
    });
    this.client.on('disconnected', (reason, wasEstablished) => {
      gauge.set(0);
      // Log the loss of an established stream, then every 20th failed attempt: a proxy waiting
      // for Pilot should not flood its log.
      if (wasEstablished) this.deps.log(`xDS stream to ${this.options.pilot} closed (${reason}); serving the last good config`);
      else if (failures++ % 20 === 0) this.deps.log(`cannot reach Pilot at ${this.options.pilot} (${reason}); retrying`);
    });
    this.client.on('ack', (typeUrl) => {
      this.acked.add(typeUrl);
      this.checkReady();
    });
    this.client.on('nack', (typeUrl, msg) => this.deps.log(`NACK ${typeUrl}: ${msg}`));
    this.runtime.clusters.on('warmed', () => this.checkReady());
    this.runtime.listeners.on('ready', () => this.checkReady());
  }

  private checkReady(): void {
    if (this.isReady || !INITIAL_TYPES.every((t) => this.acked.has(t))) return;
    if (this.runtime.clusters.warmingNames().length || !this.runtime.listeners.isReady()) return;
    this.isReady = true;
    this.deps.onReady?.();
  }

  async start(): Promise<void> {
    const o = this.options;
    this.admin = await startAdmin(
      {
        runtime: this.runtime,
        bootstrap: { node: buildNode(o), pilot: o.pilot },
        ready: () => this.isReady,
        quit: () => void this.stop().then(() => this.deps.onQuit?.()),
        serverInfo: () => ({ version: PROXY_VERSION, state: this.isReady ? 'LIVE' : 'PRE_INITIALIZING', uptime_current_epoch: `${Math.round((Date.now() - this.startedAt.getTime()) / 1000)}s`, node: buildNode(o) }),
      },
      o.ip,
      o.adminPort,
    );
    this.client.start();
  }

  /** Stops xDS, drains listeners and closes upstream pools. */
  async stop(): Promise<void> {
    this.client.stop();
    this.closeTransport?.();
    await this.runtime.close();
    await new Promise<void>((resolve) => (this.admin ? this.admin.close(() => resolve()) : resolve()));
    this.admin?.closeAllConnections();
  }

  /** The admin server's bound port (useful with --admin-port 0). */
  adminPort(): number {
    const a = this.admin?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }
}
