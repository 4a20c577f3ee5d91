import type { Machine } from '../common/machine';
import type { ProfileSummary } from '../common/profiling/summarize-profile';
import type { RoundStat } from '../common/stats';

/** A target from issue 5, with the published figure it is anchored to. */
export interface Target {
  /** `<=`, `<` or `>=`. */
  op: '<=' | '<' | '>=';
  value: number;
  unit: string;
  anchor: string;
}

export type Verdict = 'met' | 'missed' | 'no target' | 'not measured';

/** One figure held against a target (the "targets at a glance" table). */
export interface Headline {
  id: string;
  label: string;
  unit: string;
  /** Median over rounds with min and max; or a single value when `rounds` is 1. */
  value: RoundStat;
  target?: Target;
  verdict: Verdict;
  note?: string;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

export interface ProfileReport {
  what: string;
  summary: ProfileSummary;
}

export interface ScenarioResult {
  name: string;
  title: string;
  status: 'ok' | 'partial' | 'failed' | 'not present';
  durationS: number;
  /** How it was measured, one line each. */
  method: string[];
  headlines: Headline[];
  tables: Table[];
  profiles: ProfileReport[];
  errors: string[];
  /** Everything measured, per round, for the JSON file. */
  raw: unknown;
}

export interface BenchResults {
  schema: 1;
  mode: 'full' | 'quick';
  command: string;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: Machine;
  /** Load averages after each scenario (other work on a shared machine shows here). */
  loadAverages: Array<{ after: string; load: [number, number, number] }>;
  scenarios: ScenarioResult[];
  /** Later partial runs merged in (`--merge-into`): which scenarios each replaced. */
  remeasured?: Remeasure[];
}

export interface Remeasure {
  scenarios: string[];
  command: string;
  startedAt: string;
  finishedAt: string;
  gitCommit: string;
  loadAverageAtStart: [number, number, number];
  loadAverages: Array<{ after: string; load: [number, number, number] }>;
}

/** `base` with the scenarios of the partial run `update` replaced (or appended), and the merge recorded. */
export function mergeResults(base: BenchResults, update: BenchResults): BenchResults {
  const names = update.scenarios.map((s) => s.name);
  const scenarios = base.scenarios.map((s) => update.scenarios.find((u) => u.name === s.name) ?? s);
  for (const u of update.scenarios) if (!base.scenarios.some((s) => s.name === u.name)) scenarios.push(u);
  const entry: Remeasure = {
    scenarios: names,
    command: update.command,
    startedAt: update.startedAt,
    finishedAt: update.finishedAt,
    gitCommit: update.machine.gitCommit,
    loadAverageAtStart: update.machine.loadAverageAtStart,
    loadAverages: update.loadAverages,
  };
  // Earlier merges keep only the scenarios still coming from them.
  const earlier = (base.remeasured ?? []).map((r) => ({ ...r, scenarios: r.scenarios.filter((n) => !names.includes(n)) })).filter((r) => r.scenarios.length > 0);
  return { ...base, scenarios, remeasured: [...earlier, entry] };
}

export function verdict(value: number, t: Target | undefined): Verdict {
  if (!Number.isFinite(value)) return 'not measured';
  if (!t) return 'no target';
  const ok = t.op === '<=' ? value <= t.value : t.op === '<' ? value < t.value : value >= t.value;
  return ok ? 'met' : 'missed';
}

export function headline(id: string, label: string, unit: string, value: RoundStat, target?: Target, note?: string): Headline {
  return { id, label, unit, value, target, verdict: verdict(value.median, target), note };
}

/** Targets and anchors, verbatim from issue 5. */
export const TARGETS = {
  addedP90: { op: '<=', value: 1, unit: 'ms', anchor: 'Istio 1.5-1.16 published ~2.7 ms p90 for the same path; Istio 1.20 publishes 0.23 ms p90' },
  addedP99: { op: '<=', value: 2, unit: 'ms', anchor: 'issue 5 (two-sidecar path at 1000 rps)' },
  proxyCpu: { op: '<=', value: 0.35, unit: 'vCPU per 1000 rps', anchor: 'Istio 1.9-1.16: 0.35 vCPU; Istio 1.24: 0.20 vCPU' },
  proxyIdleRss: { op: '<=', value: 60, unit: 'MB', anchor: 'Istio 1.9-1.16: 40 MB; Istio 1.24: 60 MB' },
  saturationVsNginx: { op: '>=', value: 0.8, unit: 'x nginx', anchor: 'issue 5: >= 0.8x nginx with the same number of worker processes' },
  convergence1000P99: { op: '<', value: 1000, unit: 'ms', anchor: 'issue 5: 1000 clients p99 < 1 s after apply' },
  clientsServed: { op: '>=', value: 5000, unit: 'clients', anchor: 'issue 5: 5000 clients served by one Pilot' },
  pilotMemPerClient: { op: '<=', value: 1, unit: 'MB per client', anchor: "Kuma's sizing rule: <= 1 MB of control-plane memory per connected proxy" },
  galleyAccepted: { op: '<', value: 2000, unit: 'ms', anchor: 'issue 5: 1000 resources accepted and visible in Pilot in < 2 s' },
  galleyVisible: { op: '<', value: 2000, unit: 'ms', anchor: 'issue 5: 1000 resources accepted and visible in Pilot in < 2 s' },
} satisfies Record<string, Target>;
