import { Counter, type ScopeKind, type StatEntry, StatsStore } from './stats';

/** One stat as a plain, structured-clone and JSON safe value: what a worker reports over IPC. */
export interface StatSample {
  kind: ScopeKind;
  scopeName: string;
  stat: string;
  type: 'counter' | 'gauge';
  value: number;
}

export const SCOPE_KINDS: readonly ScopeKind[] = ['root', 'cluster', 'listener', 'http', 'tcp'];

/** Every counter and gauge of `store` with its current value. */
export function snapshotStats(store: StatsStore): StatSample[] {
  return [...store.entries()].map((e) => ({ kind: e.kind, scopeName: e.scopeName, stat: e.stat, type: e.metric instanceof Counter ? 'counter' : 'gauge', value: e.metric.value }));
}

/**
 * Stats the primary owns when the proxy runs worker processes: configuration state (xDS update
 * counts, listener / cluster manager, control-plane connection, cluster membership) is computed
 * once, by the primary's runtime, as Envoy's main thread does; the workers' copies of them would
 * count the same update N times. Everything else is data-plane traffic and sums over workers.
 */
export function isPrimaryStat(e: Pick<StatEntry, 'kind' | 'stat'>): boolean {
  if (e.kind === 'root') return /^(cluster_manager|listener_manager|rds|control_plane|server)\./.test(e.stat);
  if (e.kind === 'cluster') return e.stat.startsWith('membership_');
  return false;
}

function add(store: StatsStore, s: StatSample): void {
  const scope = store.scope(s.kind, s.scopeName);
  if (s.type === 'counter') scope.counter(s.stat).inc(s.value);
  else scope.gauge(s.stat).inc(s.value);
}

/**
 * The proxy-wide view: the primary's own stats for what it owns ({@link isPrimaryStat}), the sum
 * over workers for the rest (counters and gauges alike: active connections add up), and per
 * worker `server.worker_<id>.downstream_cx_total` (connections accepted by that worker's
 * listeners) so the spread of accepts over workers is visible.
 */
export function mergeWorkerStats(primary: StatsStore, workers: ReadonlyArray<{ id: number; samples: readonly StatSample[] }>): StatsStore {
  const out = new StatsStore();
  for (const s of snapshotStats(primary)) if (isPrimaryStat(s)) add(out, s);
  for (const w of workers) {
    let accepted = 0;
    for (const s of w.samples) {
      if (isPrimaryStat(s)) continue;
      add(out, s);
      if (s.kind === 'listener' && s.stat === 'downstream_cx_total') accepted += s.value;
    }
    out.counter(`server.worker_${w.id}.downstream_cx_total`).inc(accepted);
  }
  return out;
}
