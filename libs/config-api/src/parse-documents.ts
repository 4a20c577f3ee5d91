import { type FieldError, fail, ok, type Result } from '@mizzen/mesh-model';
import { parseAllDocuments } from 'yaml';
import { isPlainObject } from './core/json-values';

/**
 * Splits multi-document YAML (`---` separated), a JSON document, or a JSON array into plain
 * objects, as `kubectl apply -f` reads a file. Empty documents are skipped; `kind: List` (and
 * `kind: <X>List`, as `kubectl get -o yaml` prints) are flattened into their `items`. Syntax
 * errors are reported at `documents[i]` (i counts every document in the stream, empty ones
 * included) with the line and column in the message. YAML is read with the 1.2 core schema, so
 * `yes`/`on` stay strings; duplicate keys are errors.
 */
export function parseDocuments(text: string): Result<unknown[]> {
  const json = tryJson(text);
  if (json !== undefined) return ok(flatten(Array.isArray(json) ? json : [json]));
  const errors: FieldError[] = [];
  const values: unknown[] = [];
  parseAllDocuments(text, { merge: true }).forEach((doc, i) => {
    if (doc.errors.length) {
      for (const e of doc.errors) errors.push({ path: `documents[${i}]`, message: describeYamlError(e.message, e.linePos?.[0]) });
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) values.push(value);
  });
  return errors.length ? fail(errors) : ok(flatten(values));
}

/** JSON input (an object or an array) parsed strictly; anything else is left to the YAML parser. */
function tryJson(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function describeYamlError(message: string, pos: { line: number; col: number } | undefined): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return pos ? `YAML syntax error at line ${pos.line}, column ${pos.col}: ${first}` : `YAML syntax error: ${first}`;
}

function flatten(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (isList(v)) out.push(...flatten(v.items));
    else if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function isList(v: unknown): v is { items: unknown[] } {
  return isPlainObject(v) && typeof v.kind === 'string' && /List$/.test(v.kind) && Array.isArray(v.items);
}
