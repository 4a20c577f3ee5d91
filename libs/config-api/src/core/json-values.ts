/**
 * Drops `null`-valued object properties, recursively. Kubernetes prunes nulls for non-nullable
 * fields before validation, and protobuf JSON reads `null` as "unset", so `route:` with no value in
 * YAML means the same as omitting it. Nulls inside arrays are kept (and rejected by the schema).
 */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = stripNulls(v);
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
