import { type ChildProcess, fork } from 'node:child_process';
import { type Cleanup, sleep, withTimeout } from '../../common/cleanup';
import { benchDist } from '../../common/paths';
import { ProcessGroup } from '../../common/proc-stats';
import type { EdsMode } from './sim-client';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

type ReplyOf<C extends WorkerRequest['cmd']> = Extract<WorkerReply, { cmd: C }>;

class WorkerHandle {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id: number; reply?: WorkerReply; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.reply) p?.resolve(m.reply);
      else p?.reject(new Error(m.error ?? 'worker failed'));
    });
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('client worker exited'));
      this.pending.clear();
    });
    child.on('error', () => undefined);
  }

  request<C extends WorkerRequest['cmd']>(req: Extract<WorkerRequest, { cmd: C }>, timeoutMs = 60_000): Promise<ReplyOf<C>> {
    if (!this.child.connected) return Promise.reject(new Error('client worker is gone'));
    const id = ++this.nextId;
    const p = new Promise<WorkerReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.send({ id, req });
    return withTimeout(p, timeoutMs, `client worker ${req.cmd}`) as Promise<ReplyOf<C>>;
  }
}

export interface PoolStatus {
  total: number;
  synced: number;
  closed: number;
  errors: string[];
}

/**
 * N simulated sidecars spread over worker processes (so the client side has its own cores'
 * share and never runs in Pilot's process). Indices are split evenly; clients open at a bounded
 * rate per worker.
 */
export class ClientPool {
  private constructor(
    private readonly workers: WorkerHandle[],
    readonly size: number,
  ) {}

  static async start(cleanup: Cleanup, o: { target: string; clients: number; workers: number; eds: EdsMode; namespace: string; perSecondPerWorker: number }): Promise<ClientPool> {
    const workers: WorkerHandle[] = [];
    for (let w = 0; w < o.workers; w++) {
      const child = fork(benchDist('scenarios', 'convergence', 'xds-client-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
      cleanup.add(`xds client worker ${w}`, () => child.kill('SIGKILL'));
      workers.push(new WorkerHandle(child));
    }
    const per = Math.ceil(o.clients / o.workers);
    await Promise.all(
      workers.map((w, i) =>
        w.request({ cmd: 'start', target: o.target, namespace: o.namespace, eds: o.eds, from: i * per, to: Math.min(o.clients, (i + 1) * per), perSecond: o.perSecondPerWorker }, 600_000),
      ),
    );
    return new ClientPool(workers, o.clients);
  }

  group(): ProcessGroup {
    return new ProcessGroup('xds-clients', this.workers.map((w) => w.child.pid ?? -1));
  }

  async status(): Promise<PoolStatus> {
    const all = await Promise.all(this.workers.map((w) => w.request({ cmd: 'status' })));
    return { total: sum(all.map((s) => s.total)), synced: sum(all.map((s) => s.synced)), closed: sum(all.map((s) => s.closed)), errors: [...new Set(all.flatMap((s) => s.errors))].slice(0, 3) };
  }

  /** Polls until every client has its initial config ACKed, or the time is up. */
  async waitSynced(timeoutMs: number, onProgress?: (s: PoolStatus) => void): Promise<PoolStatus> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.status();
    let lastReport = Date.now();
    while (last.synced < this.size && Date.now() < deadline && last.closed < this.size) {
      await sleep(100);
      last = await this.status();
      if (onProgress && Date.now() - lastReport > 10_000) {
        onProgress(last);
        lastReport = Date.now();
      }
    }
    return last;
  }

  async mark(typeUrl: string): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request({ cmd: 'mark', typeUrl })));
  }

  /**
   * Per client that held a version when marked: the monotonic ms of its first ACK of another
   * version (null: none yet); `excluded` counts clients still syncing when marked.
   */
  async collect(typeUrl: string): Promise<{ firstChange: Array<number | null>; excluded: number }> {
    const all = await Promise.all(this.workers.map((w) => w.request({ cmd: 'collect', typeUrl })));
    return { firstChange: all.flatMap((r) => r.firstChange), excluded: sum(all.map((r) => r.excluded)) };
  }

  /** Polls {@link collect} until every marked client changed version or the time is up. */
  async waitChanged(typeUrl: string, timeoutMs: number): Promise<{ firstChange: Array<number | null>; excluded: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.collect(typeUrl);
      if (c.firstChange.every((t) => t !== null) || Date.now() >= deadline) return c;
      await sleep(50);
    }
  }

  /** ACK histories since `sinceMs` of the clients synced before it. */
  async histories(typeUrl: string, sinceMs: number): Promise<{ histories: Array<Array<[string, number]>>; excluded: number }> {
    const all = await Promise.all(this.workers.map((w) => w.request({ cmd: 'histories', typeUrl, sinceMs })));
    return { histories: all.flatMap((r) => r.histories), excluded: sum(all.map((r) => r.excluded)) };
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.request({ cmd: 'stop' }, 10_000)));
    for (const w of this.workers) w.child.kill('SIGKILL');
  }
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
