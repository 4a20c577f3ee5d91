import type { FieldError } from '@mizzen/mesh-model';
import type { z } from 'zod';
import { appendSegment, formatPath } from './field-path';
import { knownKeysAt } from './schema-keys';
import { suggestKey } from './suggest';

/**
 * Converts zod issues into field errors whose paths start at `base` (e.g. `spec`) and whose
 * messages read like Kubernetes/Istio validation errors: `required`, `unknown field`,
 * `expected integer, got string`, `must be one of: A, B`.
 */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], base: string, schema: z.ZodType): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = formatPath(issue.path, base);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const hint = suggestKey(key, known);
        out.push({ path: appendSegment(path, key), message: hint ? `unknown field (did you mean "${hint}"?)` : 'unknown field' });
      }
      continue;
    }
    out.push({ path, message: issueMessage(issue) });
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${typeName(issue.expected)}, got ${describe(issue.input)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')} (got ${describe(issue.input)})`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${issue.minimum} item(s)` : `must be >= ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${issue.maximum} item(s)` : `must be <= ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function typeName(expected: string): string {
  if (expected === 'int') return 'integer';
  if (expected === 'record') return 'map';
  return expected;
}

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'list';
  if (input === null) return 'null';
  if (typeof input === 'object') return 'map';
  if (typeof input === 'number' && !Number.isInteger(input)) return `number ${input}`;
  if (typeof input === 'string') return `string ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  return `${typeof input} ${String(input)}`;
}
