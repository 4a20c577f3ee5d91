import type { AnyConfig } from '@mizzen/config-api';
import { type Labels, matchesSelector } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../snapshot/mesh-snapshot';

/**
 * What generation reads of a proxy's labels besides Sidecar selection (keyed separately), found by
 * walking the configs of one snapshot:
 * - VirtualService match `sourceLabels` (matchApplies in generators/common/mesh-routes.ts): only
 *   whether each selector matches the proxy counts;
 * - DestinationRule `localityLbSetting.failoverPriority` (byLabels in
 *   generators/common/locality-lb.ts): the proxy's values of the listed label keys count;
 * - DestinationRule `workloadSelector` (MeshSnapshot.destinationRuleFor): only whether each
 *   selector matches the proxy counts (the namespace is in every key already).
 * The walk is over the whole spec (every `sourceLabels` / `failoverPriority` wherever it sits:
 * http, tcp, tls matches, subsets, port-level settings), so a new place for them is covered.
 * Two proxies with equal {@link signature}s are indistinguishable to those reads.
 */
export class ProxyLabelReads {
  private readonly selectors: readonly Labels[];
  private readonly failoverKeys: readonly string[];
  private readonly ruleSelectors: readonly Labels[];

  private constructor(configs: { vs: readonly AnyConfig[]; dr: readonly AnyConfig[] }) {
    const selectors = new Map<string, Labels>();
    for (const vs of configs.vs) {
      walk(vs.spec, 'sourceLabels', (v) => {
        if (v && typeof v === 'object' && !Array.isArray(v)) selectors.set(canonical(v), v as Labels);
      });
    }
    const keys = new Set<string>();
    const ruleSelectors = new Map<string, Labels>();
    for (const dr of configs.dr) {
      const sel = (dr.spec as { workloadSelector?: { matchLabels?: Labels } }).workloadSelector?.matchLabels;
      if (sel) ruleSelectors.set(canonical(sel), sel);
      walk(dr.spec, 'failoverPriority', (v) => {
        if (Array.isArray(v)) for (const k of v) if (typeof k === 'string') keys.add(k);
      });
    }
    this.selectors = [...selectors.keys()].sort().map((k) => selectors.get(k) as Labels);
    this.failoverKeys = [...keys].sort();
    this.ruleSelectors = [...ruleSelectors.keys()].sort().map((k) => ruleSelectors.get(k) as Labels);
  }

  private static readonly bySnapshot = new WeakMap<MeshSnapshot, ProxyLabelReads>();

  static of(snapshot: MeshSnapshot): ProxyLabelReads {
    let r = ProxyLabelReads.bySnapshot.get(snapshot);
    if (!r) {
      r = new ProxyLabelReads({ vs: snapshot.configsOfKind('VirtualService'), dr: snapshot.configsOfKind('DestinationRule') });
      ProxyLabelReads.bySnapshot.set(snapshot, r);
    }
    return r;
  }

  /** Which `sourceLabels` selectors match `labels`, as a string ('' when the mesh uses none). */
  sourceLabelsSignature(labels: Labels): string {
    return matchSignature(this.selectors, labels);
  }

  /** Which DestinationRule `workloadSelector`s match `labels` ('' when the mesh uses none). */
  ruleSelectorSignature(labels: Labels): string {
    return matchSignature(this.ruleSelectors, labels);
  }

  /** The proxy's values of every failoverPriority label key ('' when the mesh uses none). */
  failoverSignature(labels: Labels): string {
    if (this.failoverKeys.length === 0) return '';
    return JSON.stringify(this.failoverKeys.map((k) => labels[k] ?? null));
  }
}

function matchSignature(selectors: readonly Labels[], labels: Labels): string {
  let s = '';
  for (const sel of selectors) s += matchesSelector(labels, sel) ? '1' : '0';
  return s;
}

function walk(node: unknown, field: string, visit: (value: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, field, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === field) visit(v);
    else walk(v, field, visit);
  }
}

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
