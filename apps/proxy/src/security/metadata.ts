import type { MetadataMatcher, ValueMatcher } from '../config/model';
import { matchString } from '../routing';

/**
 * A request's dynamic metadata: filter namespace -> a google.protobuf.Struct as plain JSON. Filters
 * write it (jwt_authn the verified payload, RBAC its shadow result) and later ones match on it.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/advanced/well_known_dynamic_metadata
 */
export type DynamicMetadata = Record<string, Record<string, unknown>>;

/** Merges `fields` into the namespace's Struct, as StreamInfo::setDynamicMetadata does. */
export function setMetadata(md: DynamicMetadata, namespace: string, fields: Record<string, unknown>): void {
  md[namespace] = { ...(md[namespace] ?? {}), ...fields };
}

/** The value at `path` under `namespace`, or undefined (a null Value) when any step is missing. */
export function metadataValue(md: DynamicMetadata, namespace: string, path: readonly string[]): unknown {
  let cur: unknown = md[namespace];
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * envoy.type.matcher.v3.ValueMatcher against a JSON value (undefined or null: the null Value).
 * Each kind only matches its own Value kind: a string matcher never matches a number.
 */
export function matchValue(m: ValueMatcher, v: unknown): boolean {
  switch (m.kind) {
    case 'null':
      return v === undefined || v === null;
    case 'double-exact':
      return typeof v === 'number' && v === m.value;
    case 'double-range':
      return typeof v === 'number' && v >= m.start && v < m.end;
    case 'string':
      return typeof v === 'string' && matchString(m.matcher, v);
    case 'bool':
      return typeof v === 'boolean' && v === m.value;
    case 'present':
      return (v !== undefined && v !== null) === m.present;
    case 'list':
      return Array.isArray(v) && v.some((e) => matchValue(m.oneOf, e));
    case 'or':
      return m.matchers.some((x) => matchValue(x, v));
  }
}

/** envoy.type.matcher.v3.MetadataMatcher (`invert` flips the result). */
export function matchMetadata(m: MetadataMatcher, md: DynamicMetadata): boolean {
  return matchValue(m.value, metadataValue(md, m.filter, m.path)) !== m.invert;
}
