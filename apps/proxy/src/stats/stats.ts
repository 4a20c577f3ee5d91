/**
 * Counters and gauges named like Envoy's: a flat name `scope.<scope name>.stat` (e.g.
 * `cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_200`) with the scope name
 * kept apart so the Prometheus view can turn it into a tag, as Envoy's tag extraction does.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats
 */

export class Counter {
  value = 0;
  inc(n = 1): void {
    this.value += n;
  }
}

export class Gauge {
  constructor(public value = 0) {}

  set(v: number): void {
    this.value = v;
  }
  inc(n = 1): void {
    this.value += n;
  }
  dec(n = 1): void {
    this.value -= n;
  }
}

/** Which kind of scope a stat lives under; `root` stats have no scope name. */
export type ScopeKind = 'root' | 'cluster' | 'listener' | 'http' | 'tcp';

export interface StatEntry {
  kind: ScopeKind;
  scopeName: string;
  stat: string;
  metric: Counter | Gauge;
}

/** Gauges an owner reports when stats are read (name, value), instead of setting them on every change. */
export type GaugeReader = () => Iterable<readonly [stat: string, value: number]>;

export class StatsScope {
  // Created on first use: a sidecar has a scope per cluster, most of which never count anything.
  private counters?: Map<string, Counter>;
  private gauges?: Map<string, Gauge>;
  private readers?: Map<string, GaugeReader>;

  constructor(
    readonly kind: ScopeKind,
    readonly name: string,
  ) {}

  counter(stat: string): Counter {
    this.counters ??= new Map();
    let c = this.counters.get(stat);
    if (!c) this.counters.set(stat, (c = new Counter()));
    return c;
  }

  gauge(stat: string): Gauge {
    this.gauges ??= new Map();
    let g = this.gauges.get(stat);
    if (!g) this.gauges.set(stat, (g = new Gauge()));
    return g;
  }

  /** Installs, or replaces, the gauge reader of owner `key` (e.g. a cluster's circuit breakers). */
  readGauges(key: string, reader: GaugeReader): void {
    (this.readers ??= new Map()).set(key, reader);
  }

  /** Removes owner `key`'s reader if it is still `reader` (a successor may have installed its own). */
  stopReading(key: string, reader: GaugeReader): void {
    if (this.readers?.get(key) === reader) this.readers.delete(key);
  }

  *entries(): Iterable<StatEntry> {
    for (const [stat, metric] of this.counters ?? []) yield { kind: this.kind, scopeName: this.name, stat, metric };
    for (const [stat, metric] of this.gauges ?? []) yield { kind: this.kind, scopeName: this.name, stat, metric };
    for (const read of this.readers?.values() ?? []) for (const [stat, value] of read()) yield { kind: this.kind, scopeName: this.name, stat, metric: new Gauge(value) };
  }
}

export class StatsStore {
  private readonly scopes = new Map<string, StatsScope>();
  readonly root = this.scope('root', '');

  scope(kind: ScopeKind, name: string): StatsScope {
    const key = `${kind}\u0000${name}`;
    let s = this.scopes.get(key);
    if (!s) this.scopes.set(key, (s = new StatsScope(kind, name)));
    return s;
  }

  counter(stat: string): Counter {
    return this.root.counter(stat);
  }

  gauge(stat: string): Gauge {
    return this.root.gauge(stat);
  }

  *entries(): Iterable<StatEntry> {
    for (const s of this.scopes.values()) yield* s.entries();
  }
}

const CLASS_STAT_NAMES = new Map<string, string[]>();

/**
 * `<prefix>_<n>xx` for a status (e.g. `upstream_rq_2xx`), built once per prefix: a template string
 * per response would allocate and re-hash the name on the request path.
 */
export function statusClassStat(prefix: string, status: number): string {
  let names = CLASS_STAT_NAMES.get(prefix);
  if (!names) CLASS_STAT_NAMES.set(prefix, (names = Array.from({ length: 10 }, (_, i) => `${prefix}_${i}xx`)));
  return names[Math.floor(status / 100)] ?? `${prefix}_${Math.floor(status / 100)}xx`;
}

/** Envoy's flat stat name. */
export function flatName(e: Pick<StatEntry, 'kind' | 'scopeName' | 'stat'>): string {
  return e.kind === 'root' ? e.stat : `${e.kind}.${e.scopeName}.${e.stat}`;
}

/** `/stats` text: `name: value` lines sorted by name, optionally filtered by a regex. */
export function formatText(store: StatsStore, filter?: RegExp): string {
  const lines: string[] = [];
  for (const e of store.entries()) {
    const name = flatName(e);
    if (!filter || filter.test(name)) lines.push(`${name}: ${e.metric.value}`);
  }
  return lines.sort().join('\n') + '\n';
}
