import { stdoutSink } from '../http';
import { ProxyRuntime, runtimeReady, xdsTypeHandlers } from '../runtime';
import { snapshotStats } from '../stats';
import { SecretStore } from '../tls/secret-store';
import type { TypeHandler } from '../xds-client';
import { type SecretPayload, type ToPrimary, type XdsMessage, parseToWorker } from './ipc-messages';
import { decodeXdsMessage } from './xds-forwarding';

export interface WorkerOptions {
  /** The worker's index (0..concurrency-1), kept by a replacement worker. */
  id: number;
  accessLog: boolean;
  initialFetchTimeoutMs?: number;
  log: (msg: string) => void;
  /** The IPC channel to the primary (`process.send`). */
  send: (m: ToPrimary) => void;
  /** Called once the runtime drained after `shutdown` or a lost primary. */
  onExit: () => void;
}

/**
 * A worker process's data plane: a ProxyRuntime that binds the listeners (sharing each listening
 * socket with the other workers through the `cluster` module) and applies, in order, the secrets
 * and xDS responses its primary applied. It has no xDS stream, certificate agent or admin server.
 */
export class ProxyWorker {
  readonly secrets = new SecretStore();
  readonly runtime: ProxyRuntime;
  private readonly handlers = new Map<string, TypeHandler>();
  private readonly applied = new Set<string>();
  private reportedReady = false;
  private closing = false;

  constructor(private readonly o: WorkerOptions) {
    this.runtime = new ProxyRuntime({ log: o.log, accessLog: o.accessLog ? stdoutSink : undefined, initialFetchTimeoutMs: o.initialFetchTimeoutMs, secrets: this.secrets });
    // The primary owns subscriptions: what the worker would subscribe to arrives with the responses.
    for (const h of xdsTypeHandlers(this.runtime, { setResourceNames: () => undefined })) this.handlers.set(h.typeUrl, h.handler);
    this.runtime.clusters.on('warmed', () => this.checkReady());
    this.runtime.listeners.on('ready', () => this.checkReady());
  }

  /** Handles one IPC message from the primary; malformed ones are logged and dropped. */
  receive(raw: unknown): void {
    const m = parseToWorker(raw);
    if (!m) return this.o.log(`ignoring a malformed message from the primary: ${JSON.stringify(raw)?.slice(0, 200)}`);
    switch (m.t) {
      case 'secret':
        return this.setSecret(m.secret);
      case 'xds':
        return this.applyXds(m);
      case 'stats-request':
        return this.o.send({ t: 'stats', id: m.id, samples: snapshotStats(this.runtime.stats) });
      case 'shutdown':
        return void this.close();
    }
  }

  /** Drains the listeners (each for its drain timeout), then calls `onExit`. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.runtime.close();
    this.o.onExit();
  }

  private setSecret(s: SecretPayload): void {
    try {
      if (s.kind === 'certificate') this.secrets.setCertificate(s.name, s.certificateChain, s.privateKey);
      else this.secrets.setTrustBundle(s.name, [s.trustedCa]);
    } catch (err) {
      this.o.log(`secret ${s.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private applyXds(m: XdsMessage): void {
    const handler = this.handlers.get(m.typeUrl);
    let error: string | undefined;
    try {
      if (!handler) throw new Error('unknown type');
      const { res, subscribed } = decodeXdsMessage(m);
      error = handler.apply(res, subscribed);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (error !== undefined) {
      this.o.send({ t: 'rejected', typeUrl: m.typeUrl, versionInfo: m.versionInfo, error });
      return;
    }
    this.applied.add(m.typeUrl);
    this.checkReady();
  }

  private checkReady(): void {
    if (this.reportedReady || !runtimeReady(this.runtime, this.applied)) return;
    this.reportedReady = true;
    this.o.send({ t: 'ready' });
  }
}

/** Runs this process as worker `id` of a `cluster` primary: wires IPC, signals and exit. */
export function runWorker(o: Omit<WorkerOptions, 'send' | 'onExit'>): ProxyWorker {
  const send = (m: ToPrimary): void => {
    if (process.connected) process.send?.(m);
  };
  const worker = new ProxyWorker({ ...o, send, onExit: () => process.exit(0) });
  process.on('message', (m) => worker.receive(m));
  send({ t: 'hello' });
  // The primary coordinates shutdown; without it (it died), drain and go.
  process.on('disconnect', () => void worker.close());
  // A terminal's Ctrl-C reaches the whole process group: the primary's shutdown message follows.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void worker.close());
  return worker;
}
