import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import type { ProxyRuntime } from '../runtime';
import { type StatSample, type StatsStore, mergeWorkerStats } from '../stats';
import type { Secret, SecretStore } from '../tls/secret-store';
import { type SecretPayload, type ToWorker, parseToPrimary } from './ipc-messages';
import { snapshotMessages, xdsMessage } from './xds-forwarding';

/** The environment variable a worker learns its index from. */
export const WORKER_ID_ENV = 'MIZZEN_WORKER_ID';

export interface WorkerPoolOptions {
  concurrency: number;
  /** The primary's runtime (not binding): its ACKed snapshot is what a new worker starts from. */
  runtime: ProxyRuntime;
  /** The primary's SDS store: every secret in it, and every change, goes to the workers. */
  secrets: SecretStore;
  log: (msg: string) => void;
  /** How long `/stats` waits for a worker's snapshot (default 1000 ms); late workers are left out. */
  statsTimeoutMs?: number;
  /** How long `stop()` waits for workers to drain before killing them (default 10 s). */
  stopTimeoutMs?: number;
}

export interface WorkerInfo {
  id: number;
  pid?: number;
  ready: boolean;
  restarts: number;
}

interface Slot {
  id: number;
  worker?: Worker;
  /** Said hello: it gets every message from now on. */
  listening: boolean;
  ready: boolean;
  restarts: number;
  /** Consecutive exits without becoming ready (restart back-off). */
  failures: number;
}

function secretPayload(s: Secret): SecretPayload {
  return s.kind === 'certificate' ? { kind: 'certificate', name: s.name, certificateChain: s.certificateChain, privateKey: s.privateKey } : { kind: 'validation', name: s.name, trustedCa: s.trustedCa };
}

/**
 * The primary's side of worker processes (Envoy's `--concurrency`): forks N workers with the
 * `cluster` module under SCHED_NONE, so each listening socket is shared and the kernel spreads
 * accepts over the workers with no per-connection IPC. Sends them, in order, every secret and
 * every xDS response the primary applied; a new or re-forked worker first gets the current
 * secrets and ACKed config. Collects their stats for the admin server.
 */
export class WorkerPool extends EventEmitter<{ ready: [] }> {
  private readonly slots: Slot[];
  private readonly pendingStats = new Map<number, { slot: Slot; resolve: (s: StatSample[] | undefined) => void }>();
  private nextStatsId = 1;
  private stopping = false;
  private everReady = false;

  constructor(private readonly o: WorkerPoolOptions) {
    super();
    this.slots = Array.from({ length: o.concurrency }, (_, id) => ({ id, listening: false, ready: false, restarts: 0, failures: 0 }));
  }

  /** Forks the workers. The kernel, not the primary, picks the worker for each connection. */
  start(): void {
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    this.o.secrets.on('update', (name) => {
      const s = this.o.secrets.get(name);
      if (s) this.broadcast({ t: 'secret', secret: secretPayload(s) });
    });
    for (const slot of this.slots) this.fork(slot);
  }

  /** AppliedHook: the primary applied (and ACKs) `res`; every worker applies it next. */
  forwardXds(res: DiscoveryResponseIn, subscribed: ReadonlySet<string> | 'wildcard'): void {
    if (this.slots.some((s) => s.listening)) this.broadcast(xdsMessage(res, subscribed));
  }

  /** Every worker has applied the initial config and bound its listeners (latched once true). */
  allReady(): boolean {
    return this.everReady;
  }

  info(): WorkerInfo[] {
    return this.slots.map((s) => ({ id: s.id, pid: s.worker?.process.pid, ready: s.ready, restarts: s.restarts }));
  }

  /** The proxy-wide stats: the primary's config stats plus the workers' data-plane stats, summed. */
  async stats(): Promise<StatsStore> {
    const replies = await Promise.all(this.slots.map(async (slot) => ({ id: slot.id, samples: await this.requestStats(slot) })));
    return mergeWorkerStats(
      this.o.runtime.stats,
      replies.filter((r): r is { id: number; samples: StatSample[] } => r.samples !== undefined),
    );
  }

  /** Asks every worker to drain and exit; kills those still running after the stop timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = this.slots.map((s) => s.worker).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exited = running.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    for (const w of running) this.send(w, { t: 'shutdown' });
    const timer = setTimeout(() => running.forEach((w) => w.isDead() || w.process.kill('SIGKILL')), this.o.stopTimeoutMs ?? 10_000);
    await Promise.all(exited);
    clearTimeout(timer);
  }

  private fork(slot: Slot): void {
    const worker = cluster.fork({ [WORKER_ID_ENV]: String(slot.id) });
    slot.worker = worker;
    slot.listening = false;
    slot.ready = false;
    worker.on('message', (raw: unknown) => this.receive(slot, worker, raw));
    worker.on('exit', (code, signal) => this.onExit(slot, worker, code, signal));
    worker.on('error', (err) => this.o.log(`worker ${slot.id}: ${err.message}`));
  }

  private receive(slot: Slot, worker: Worker, raw: unknown): void {
    if (slot.worker !== worker) return;
    const m = parseToPrimary(raw);
    if (!m) return this.o.log(`worker ${slot.id}: ignoring a malformed message`);
    switch (m.t) {
      case 'hello':
        slot.listening = true;
        for (const s of this.o.secrets.all()) this.send(worker, { t: 'secret', secret: secretPayload(s) });
        for (const x of snapshotMessages(this.o.runtime)) this.send(worker, x);
        return;
      case 'ready':
        slot.ready = true;
        slot.failures = 0;
        if (!this.everReady && this.slots.every((s) => s.ready)) {
          this.everReady = true;
          this.emit('ready');
        }
        return;
      case 'stats': {
        const p = this.pendingStats.get(m.id);
        this.pendingStats.delete(m.id);
        p?.resolve(m.samples);
        return;
      }
      case 'rejected':
        return this.o.log(`worker ${slot.id} could not apply ${m.typeUrl} ${JSON.stringify(m.versionInfo)} the primary accepted: ${m.error}`);
    }
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    slot.listening = false;
    slot.ready = false;
    for (const [id, p] of this.pendingStats) {
      if (p.slot !== slot) continue;
      this.pendingStats.delete(id);
      p.resolve(undefined);
    }
    if (this.stopping) return;
    // Back off on a crash loop (250 ms doubling to 10 s); a worker that got ready resets it.
    const delay = Math.min(250 * 2 ** slot.failures++, 10_000);
    this.o.log(`worker ${slot.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting a new one in ${delay} ms`);
    slot.restarts++;
    setTimeout(() => this.stopping || this.fork(slot), delay).unref();
  }

  private requestStats(slot: Slot): Promise<StatSample[] | undefined> {
    const w = slot.worker;
    if (!w || !slot.listening) return Promise.resolve(undefined);
    const id = this.nextStatsId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingStats.delete(id);
        resolve(undefined);
      }, this.o.statsTimeoutMs ?? 1000);
      this.pendingStats.set(id, {
        slot,
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
      });
      this.send(w, { t: 'stats-request', id });
    });
  }

  private broadcast(m: ToWorker): void {
    for (const s of this.slots) if (s.worker && s.listening) this.send(s.worker, m);
  }

  private send(w: Worker, m: ToWorker): void {
    if (w.isConnected()) w.send(m);
  }
}
