import type { Diagnostics } from '../../core/diagnostics';

interface RuleLike {
  name?: string;
  match?: readonly object[];
}

/**
 * Istio's `analyzeUnreachable{HTTP,TCP,TLS}Rules` (reported as warnings, like the webhook does): a
 * rule after a match-less rule is never used, and a match identical to an earlier one (ignoring
 * its `name`) is ineffective. Istio's extra prefix-overlap heuristic is not reproduced.
 */
export function warnUnreachableRules(d: Diagnostics, path: string, rules: readonly RuleLike[] | undefined): void {
  const seen = new Map<string, number>();
  let catchAll = -1;
  (rules ?? []).forEach((rule, i) => {
    const at = `${path}[${i}]`;
    const label = rule.name ? JSON.stringify(rule.name) : `#${i}`;
    const matches = rule.match ?? [];
    if (matches.length === 0) {
      if (catchAll >= 0) d.warn(at, `virtualService rule ${label} not used (only the last rule can have no matches)`);
      catchAll = i;
      return;
    }
    if (catchAll >= 0) {
      d.warn(at, `virtualService rule ${label} not used (route without matches defined before)`);
      return;
    }
    let duplicates = 0;
    matches.forEach((m, j) => {
      const key = canonical(withoutName(m));
      const prior = seen.get(key);
      if (prior !== undefined) {
        duplicates++;
        d.warn(`${at}.match[${j}]`, `virtualService rule ${label} match #${j} is not used (duplicate match in rule #${prior})`);
      } else seen.set(key, i);
    });
    if (duplicates === matches.length) d.warn(at, `virtualService rule ${label} not used (all matches used by prior rules)`);
  });
}

function withoutName(m: object): object {
  if (!('name' in m)) return m;
  const { name: _name, ...rest } = m as Record<string, unknown>;
  return rest;
}

/** JSON with sorted keys, so equal matches compare equal whatever their field order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
