import type http from 'node:http';
import { TypeUrl } from '@mizzen/xds-types';
import { startAdmin } from '../admin';
import { stdoutSink } from '../http';
import { type AppliedHook, ProxyRuntime, registerXdsHandlers, runtimeReady } from '../runtime';
import { SecretStore } from '../tls/secret-store';
import { WorkerPool } from '../workers/worker-pool';
import { AdsClient, type AdsConnector } from '../xds-client';
import { CertAgent } from './cert-agent/cert-agent';
import { MeshTrust } from './cert-agent/mesh-trust';
import { pcdsHandler } from './cert-agent/pcds-handler';
import { PROXY_VERSION, buildNode } from './node';
import type { AgentOptions } from './options';
import { pilotConnector } from './pilot-transport';
import { startStatusServer } from './status/status-server';

export interface AgentDeps {
  log: (msg: string) => void;
  /** Told once, when the initial config is applied and listeners are bound. */
  onReady?: () => void;
  /** POST /quitquitquit: called after the agent stopped. */
  onQuit?: () => void;
  /** Opens ADS streams; defaults to gRPC to `options.pilot` (TLS with `--pilot-tls`). */
  connector?: AdsConnector;
  initialFetchTimeoutMs?: number;
}

/**
 * The agent: builds the node identity, runs the ADS client against Pilot, applies config to the
 * proxy runtime, serves admin, and reports readiness (Envoy's init manager: initial CDS with its
 * EDS warmed, then LDS with its RDS, listeners bound).
 *
 * With `--concurrency` N > 1 its runtime validates and applies config without binding, and a
 * {@link WorkerPool} of N processes serves: every applied response and secret is forwarded to
 * them, and the proxy is ready once every worker has bound its listeners.
 */
export class Agent {
  readonly runtime: ProxyRuntime;
  readonly client: AdsClient;
  /** SDS secrets: `default` and `ROOTCA` from the certificate agent. */
  readonly secrets = new SecretStore();
  /** Present with `--ca-addr`. */
  readonly certAgent?: CertAgent;
  /** Present with `--concurrency` > 1. */
  readonly workers?: WorkerPool;
  private admin?: http.Server;
  private status?: http.Server;
  private closeTransport?: () => void;
  private readonly acked = new Set<string>();
  private isReady = false;
  private stopped = false;
  private readonly startedAt = new Date();

  constructor(
    readonly options: AgentOptions,
    private readonly deps: AgentDeps,
  ) {
    const workers = options.concurrency > 1;
    this.runtime = new ProxyRuntime({
      log: deps.log,
      accessLog: options.accessLog ? stdoutSink : undefined,
      initialFetchTimeoutMs: deps.initialFetchTimeoutMs,
      secrets: this.secrets,
      bindListeners: !workers,
    });
    if (workers) this.workers = new WorkerPool({ concurrency: options.concurrency, runtime: this.runtime, secrets: this.secrets, log: deps.log });
    const trust = options.ca ? new MeshTrust(this.secrets) : undefined;
    if (options.ca) {
      const ca = options.ca;
      this.certAgent = new CertAgent(
        { caAddr: ca.addr, tokenFile: ca.tokenFile, transport: { rootFile: ca.rootFile }, trustDomain: options.trustDomain, namespace: options.namespace, serviceAccount: options.serviceAccount, certTtlMs: ca.certTtlMs },
        { secrets: this.secrets, log: deps.log, trust },
      );
    }
    let connect = deps.connector;
    if (!connect) {
      const grpc = pilotConnector(options, this.secrets);
      connect = grpc.connect;
      this.closeTransport = grpc.close;
    }
    this.client = new AdsClient({ node: buildNode(options), connect });
    const pool = this.workers;
    const forward: AppliedHook | undefined = pool && ((res, subscribed) => pool.forwardXds(res, subscribed));
    // With a certificate agent, subscribe to Istio's PCDS first: Pilot's trust anchors join ROOTCA.
    if (trust) this.client.register(TypeUrl.ProxyConfig, pcdsHandler(trust, deps.log), true);
    registerXdsHandlers(this.client, this.runtime, forward);
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
    this.workers?.on('ready', () => this.checkReady());
  }

  private checkReady(): void {
    if (this.isReady || !runtimeReady(this.runtime, this.acked)) return;
    if (this.workers && !this.workers.allReady()) return;
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
        serverInfo: () => ({
          version: PROXY_VERSION,
          state: this.isReady ? 'LIVE' : 'PRE_INITIALIZING',
          uptime_current_epoch: `${Math.round((Date.now() - this.startedAt.getTime()) / 1000)}s`,
          node: buildNode(o),
          identity: this.certAgent?.state(),
          concurrency: o.concurrency,
          workers: this.workers?.info(),
        }),
        certAgent: () => this.certAgent?.state(),
        stats: this.workers && (() => (this.workers as WorkerPool).stats()),
      },
      o.ip,
      o.adminPort,
    );
    if (o.statusPort) this.status = await startStatusServer({ ip: o.ip, port: o.statusPort, probers: o.appProbers, inbound: o.inbound, ready: () => this.isReady });
    this.workers?.start();
    if (this.certAgent) {
      // Istio's proxies get their certificate before any config that needs it: xDS starts once
      // `default` and `ROOTCA` are in the store (and Pilot's TLS can be verified).
      this.deps.log(`requesting a certificate for ${this.certAgent.identity} from ${o.ca?.addr}`);
      await this.certAgent.start();
      if (this.stopped) return;
    }
    this.client.start();
  }

  /** Stops xDS, drains listeners and closes upstream pools. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.certAgent?.stop();
    this.client.stop();
    this.closeTransport?.();
    await Promise.all([this.runtime.close(), this.workers?.stop()]);
    await new Promise<void>((resolve) => (this.admin ? this.admin.close(() => resolve()) : resolve()));
    this.admin?.closeAllConnections();
    await new Promise<void>((resolve) => (this.status ? this.status.close(() => resolve()) : resolve()));
    this.status?.closeAllConnections();
  }

  /** The status server's bound port, 0 when it is off. */
  statusPort(): number {
    const a = this.status?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  /** The admin server's bound port (useful with --admin-port 0). */
  adminPort(): number {
    const a = this.admin?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }
}
