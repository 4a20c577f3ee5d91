/**
 * Field paths in the form users read in YAML: `spec.http[2].route[0].destination.host`.
 * Map keys that are not plain identifiers are quoted: `spec.http[0].match[0].headers["end-user"]`.
 */
export function formatPath(segments: readonly PropertyKey[], base = ''): string {
  let out = base;
  for (const seg of segments) out = appendSegment(out, seg);
  return out;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function appendSegment(path: string, seg: PropertyKey): string {
  if (typeof seg === 'number') return `${path}[${seg}]`;
  const key = String(seg);
  if (!IDENT.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

/** Path of a map entry: `labels["app.kubernetes.io/name"]`, `ports.http`. */
export function keyPath(path: string, key: string): string {
  return appendSegment(path, key);
}
