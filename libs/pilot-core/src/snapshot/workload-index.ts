import { type Labels, matchesSelector, type Service, type Workload } from '@mizzen/mesh-model';

/**
 * Workloads of a snapshot indexed for selection: by `namespace/name`, and per namespace by each
 * `label=value` they carry, so a selector looks at the workloads sharing its rarest label instead
 * of every workload of the namespace (O(matches), not O(workloads), per service). Immutable.
 */
export class WorkloadIndex {
  private readonly byKey = new Map<string, Workload>();
  /** namespace -> `k=v` -> workloads carrying that label, in (namespace, name) order. */
  private readonly byLabel = new Map<string, Map<string, Workload[]>>();
  private readonly byNamespace: ReadonlyMap<string, readonly Workload[]>;

  /** `sorted` must be ordered by namespace then name; selections keep that order. */
  constructor(sorted: readonly Workload[]) {
    const byNs = new Map<string, Workload[]>();
    for (const w of sorted) {
      this.byKey.set(`${w.namespace}/${w.name}`, w);
      push(byNs, w.namespace, w);
      let labels = this.byLabel.get(w.namespace);
      if (!labels) this.byLabel.set(w.namespace, (labels = new Map()));
      for (const [k, v] of Object.entries(w.labels)) push(labels, `${k}=${v}`, w);
    }
    this.byNamespace = byNs;
  }

  workload(namespace: string, name: string): Workload | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  /** Workloads of `namespace` whose labels match `selector` (an empty selector selects all). */
  select(namespace: string, selector: Labels): readonly Workload[] {
    const pairs = Object.entries(selector);
    if (pairs.length === 0) return this.byNamespace.get(namespace) ?? [];
    const labels = this.byLabel.get(namespace);
    if (!labels) return [];
    let smallest: readonly Workload[] | undefined;
    for (const [k, v] of pairs) {
      const list = labels.get(`${k}=${v}`);
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return pairs.length === 1 ? (smallest ?? []) : (smallest ?? []).filter((w) => matchesSelector(w.labels, selector));
  }
}

/** Whether a service takes its endpoints from selected workloads (not inline endpoints). */
export function selectsWorkloads(s: Service): s is Service & { selector: Labels } {
  return !s.endpoints && !!s.selector;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
