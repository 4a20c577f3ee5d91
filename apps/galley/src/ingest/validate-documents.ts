import type { ResourceRef } from '@mizzen/contracts';
import type { FieldError } from '@mizzen/mesh-model';
import type { ResourceValidator, ValidConfig } from '../validation/resource-validator';

export interface ValidResource {
  ref: ResourceRef;
  /** Index of the document in the text. */
  document: number;
  config: ValidConfig;
  warnings: FieldError[];
}

export interface InvalidResource {
  ref: ResourceRef;
  document: number;
  errors: FieldError[];
  warnings: FieldError[];
}

/** The outcome of validating every document of a text: nothing is written unless `ok`. */
export interface DocumentsReport {
  valid: ValidResource[];
  invalid: InvalidResource[];
  /** Problems not tied to one named resource: YAML syntax, documents without kind or name. */
  errors: FieldError[];
  ok: boolean;
}

export const refKey = (r: ResourceRef): string => `${r.kind}/${r.namespace}/${r.name}`;

/**
 * Parses and validates every document; collects every error. The same (kind, namespace, name)
 * twice in one text is an error on the later document. Errors of documents that name no
 * resource are reported under `documents[i]`.
 */
export function validateDocuments(text: string, defaultNamespace: string, validator: ResourceValidator): DocumentsReport {
  const parsed = validator.parseDocuments(text);
  if (!parsed.ok) return { valid: [], invalid: [], errors: parsed.errors, ok: false };
  const report: DocumentsReport = { valid: [], invalid: [], errors: [], ok: true };
  const firstSeen = new Map<string, number>();
  parsed.value.forEach((doc, i) => {
    const r = validator.validate(doc, defaultNamespace);
    if (!r.ok) {
      if (r.ref) report.invalid.push({ ref: r.ref, document: i, errors: r.errors, warnings: r.warnings });
      else report.errors.push(...r.errors.map((e) => ({ path: e.path ? `documents[${i}].${e.path}` : `documents[${i}]`, message: e.message })));
      return;
    }
    const ref = { kind: r.config.kind, namespace: r.config.metadata.namespace, name: r.config.metadata.name };
    const k = refKey(ref);
    const earlier = firstSeen.get(k);
    if (earlier !== undefined) {
      report.invalid.push({ ref, document: i, errors: [{ path: 'metadata.name', message: `duplicate: ${k} is also defined by document ${earlier}` }], warnings: r.warnings });
      return;
    }
    firstSeen.set(k, i);
    report.valid.push({ ref, document: i, config: r.config, warnings: r.warnings });
  });
  report.ok = report.invalid.length === 0 && report.errors.length === 0;
  return report;
}
