import { parseDocuments, unsupportedFieldWarnings, validateResource } from '@mizzen/config-api';
import type { ResourceValidator, ValidationResult } from './resource-validator';

/** The production {@link ResourceValidator}: Istio's schemas and webhook checks from config-api. */
export const configApiValidator: ResourceValidator = {
  parseDocuments: (text) => parseDocuments(text),
  validate(document, defaultNamespace): ValidationResult {
    const r = validateResource(document, { defaultNamespace });
    if (!r.ok) return { ok: false, errors: r.errors, warnings: r.warnings ?? [], ref: r.ref };
    const cfg = r.value;
    const warnings = [...(r.warnings ?? []), ...unsupportedFieldWarnings(cfg)];
    return {
      ok: true,
      warnings: dedupe(warnings),
      resource: cfg,
      config: {
        apiVersion: cfg.apiVersion,
        kind: cfg.kind,
        metadata: {
          name: cfg.metadata.name,
          namespace: cfg.metadata.namespace,
          ...(cfg.metadata.labels ? { labels: cfg.metadata.labels } : {}),
          ...(cfg.metadata.annotations ? { annotations: cfg.metadata.annotations } : {}),
        },
        spec: cfg.spec as unknown as Record<string, unknown>,
      },
    };
  },
};

function dedupe<T extends { path: string; message: string }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = `${x.path}\u0000${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
