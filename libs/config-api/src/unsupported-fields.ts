import type { FieldError } from '@mizzen/mesh-model';
import { appendSegment } from './core/field-path';
import type { UnsupportedField } from './core/kind-module';
import { isPlainObject } from './core/json-values';
import type { ConfigKind } from './core/types';
import { kindModule } from './kinds/registry';
import type { AnyConfig } from './resources';

export type UnsupportedFieldTable = { readonly [K in ConfigKind]?: readonly UnsupportedField[] };

/** The per-kind tables declared by each kind module (`kinds/<kind>/unsupported.ts`). */
function defaultTable(kind: ConfigKind): readonly UnsupportedField[] {
  return kindModule(kind).unsupportedFields;
}

/**
 * Warnings for fields that are set in `cfg` but not implemented by the Mizzen data plane yet, so
 * Galley can accept the resource and tell the user what will be ignored. Each warning's path is
 * concrete (`spec.http[1].mirrors`). `table` overrides the kind modules' tables (for tests).
 */
export function unsupportedFieldWarnings(cfg: AnyConfig, table?: UnsupportedFieldTable): FieldError[] {
  const fields = table ? (table[cfg.kind] ?? []) : defaultTable(cfg.kind);
  const out: FieldError[] = [];
  for (const field of fields) {
    for (const path of presentPaths(cfg.spec, parsePattern(field.path), 'spec')) {
      const lead = field.partial ? 'field is only partly supported by the Mizzen data plane' : 'field is not supported by the Mizzen data plane yet';
      out.push({ path, message: `${lead}${field.reason ? `: ${field.reason}` : ''}` });
    }
  }
  return out;
}

/** `http[*].mirrors` -> ['http', '*', 'mirrors']; `[*]` and `.*` both mean "every item or value". */
function parsePattern(pattern: string): string[] {
  return pattern
    .replace(/\[\*\]/g, '.*')
    .split('.')
    .filter((s) => s !== '');
}

function presentPaths(value: unknown, segments: readonly string[], path: string): string[] {
  if (value === undefined) return [];
  if (segments.length === 0) return [path];
  const [head, ...rest] = segments;
  if (head === '*') {
    if (Array.isArray(value)) return value.flatMap((v, i) => presentPaths(v, rest, `${path}[${i}]`));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => presentPaths(v, rest, appendSegment(path, k)));
    return [];
  }
  return isPlainObject(value) ? presentPaths(value[head], rest, appendSegment(path, head)) : [];
}
