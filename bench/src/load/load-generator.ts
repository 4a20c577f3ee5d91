import { type ChildProcess, fork } from 'node:child_process';
import type { Cleanup } from '../common/cleanup';
import { withTimeout } from '../common/cleanup';
import { benchDist } from '../common/paths';
import type { ClosedLoopResult, ClosedLoopSpec, ConstantRateResult, ConstantRateSpec } from './constant-rate';

/** A long-lived constant-rate load process; one run at a time. */
export class LoadGenerator {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.result) p?.resolve(m.result as never);
      else p?.reject(new Error(m.error ?? 'load generator failed'));
    });
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('load generator exited'));
      this.pending.clear();
    });
    child.on('error', () => undefined);
  }

  static start(cleanup: Cleanup): LoadGenerator {
    const child = fork(benchDist('load', 'rate-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return cleanup.add('load generator', () => child.kill('SIGKILL'), new LoadGenerator(child));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** A constant-rate run (latency). */
  run(spec: ConstantRateSpec): Promise<ConstantRateResult> {
    return this.request<ConstantRateResult>('rate', spec, spec.durationMs);
  }

  /** A closed-loop run (saturation, for protocols wrk does not speak). */
  closedLoop(spec: ClosedLoopSpec): Promise<ClosedLoopResult> {
    return this.request<ClosedLoopResult>('closed', spec, spec.durationMs);
  }

  private request<R>(kind: 'rate' | 'closed', spec: ConstantRateSpec | ClosedLoopSpec, durationMs: number): Promise<R> {
    if (!this.child.connected) return Promise.reject(new Error('load generator is gone'));
    const id = ++this.nextId;
    const p = new Promise<R>((resolve, reject) => this.pending.set(id, { resolve: resolve as (r: never) => void, reject }));
    this.child.send({ id, kind, spec });
    return withTimeout(p, durationMs + 20_000, `${kind} load run`);
  }
}
