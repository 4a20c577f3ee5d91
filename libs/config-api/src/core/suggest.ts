/**
 * "Did you mean" for unknown field names: a known key within edit distance 2, the same key in
 * another case, or the camelCase form of a snake_case key (protobuf field names such as
 * `sni_hosts` are written `sniHosts` in Istio YAML).
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const camel = unknown.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const lower = unknown.toLowerCase();
  const exactish = known.find((k) => k === camel || k.toLowerCase() === lower);
  if (exactish) return exactish;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}
