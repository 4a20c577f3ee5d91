import type { ResourceRef } from '@mizzen/contracts';
import type { FieldError } from '@mizzen/mesh-model';
import type { ResourceValidator } from '../validation/resource-validator';

/**
 * The resources named by delete documents. Only `kind` and `metadata.name` (and
 * `metadata.namespace`) are read: deleting must work for resources that no longer validate.
 */
export function refsFromDocuments(text: string, defaultNamespace: string, validator: ResourceValidator): { refs: ResourceRef[]; errors: FieldError[] } {
  const parsed = validator.parseDocuments(text);
  if (!parsed.ok) return { refs: [], errors: parsed.errors };
  const refs: ResourceRef[] = [];
  const errors: FieldError[] = [];
  parsed.value.forEach((doc, i) => {
    const d = doc as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (!d || typeof d !== 'object') return void errors.push({ path: `documents[${i}]`, message: 'must be an object' });
    if (typeof d.kind !== 'string' || !d.kind) errors.push({ path: `documents[${i}].kind`, message: 'required' });
    if (typeof d.metadata?.name !== 'string' || !d.metadata.name) errors.push({ path: `documents[${i}].metadata.name`, message: 'required' });
    if (typeof d.kind !== 'string' || typeof d.metadata?.name !== 'string' || !d.kind || !d.metadata.name) return;
    const namespace = typeof d.metadata.namespace === 'string' && d.metadata.namespace ? d.metadata.namespace : defaultNamespace;
    refs.push({ kind: d.kind, namespace, name: d.metadata.name });
  });
  return { refs, errors };
}
