import type { FieldError } from '@mizzen/mesh-model';
import { Diagnostics } from './core/diagnostics';
import type { KindModule } from './core/kind-module';
import { isPlainObject, stripNulls } from './core/json-values';
import { NETWORKING_API, SECURITY_API, type ApiGroupVersions, type ConfigKind, type ConfigMeta } from './core/types';
import { suggestKey } from './core/suggest';
import { issuesToFieldErrors } from './core/zod-issues';
import { isSupportedKind, kindModule, SUPPORTED_KINDS } from './kinds/registry';
import { objectMetaSchema } from './metadata/schema';
import { toConfigMeta } from './metadata/validate';
import type { AnyConfig } from './resources';

export interface ValidateOptions {
  /** Namespace for resources that do not set `metadata.namespace`. */
  defaultNamespace: string;
}

export type ValidateResult =
  | { ok: true; value: AnyConfig; warnings: FieldError[] }
  | { ok: false; errors: FieldError[]; warnings: FieldError[]; ref?: { kind: string; namespace: string; name: string } };

/** Top-level fields of a resource; `status` (written by Istio's status controller) is accepted and dropped. */
const ENVELOPE_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/**
 * Validates one decoded object (from YAML or JSON) into a typed Istio resource: envelope
 * (a supported `kind`, `apiVersion` in that kind's group: `networking.istio.io/{v1,v1beta1,v1alpha3}`
 * or `security.istio.io/{v1,v1beta1}`), metadata,
 * the spec's structure (unknown fields, types, enums), then Istio's semantic webhook checks.
 * Every error carries a full field path; warnings never reject.
 */
export function validateResource(obj: unknown, opts: ValidateOptions): ValidateResult {
  const d = new Diagnostics();
  if (!isPlainObject(obj)) {
    d.error('', `expected a resource object, got ${Array.isArray(obj) ? 'a list' : typeof obj}`);
    return { ok: false, errors: d.errors, warnings: d.warnings };
  }
  const input = stripNulls(obj) as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (ENVELOPE_FIELDS.has(key)) continue;
    const hint = suggestKey(key, [...ENVELOPE_FIELDS]);
    d.error(key, hint ? `unknown field (did you mean "${hint}"?)` : 'unknown field');
  }
  const kind = input.kind;
  if (kind === undefined) d.error('kind', 'required');
  else if (!isSupportedKind(kind)) d.error('kind', `unsupported kind ${JSON.stringify(kind)} (supported: ${SUPPORTED_KINDS.join(', ')})`);
  const module = isSupportedKind(kind) ? kindModule(kind) : undefined;
  checkApiVersion(input.apiVersion, module ? [module.api] : [NETWORKING_API, SECURITY_API], module?.kind, d);
  const metadata = parseMetadata(input.metadata, module?.nameRule ?? 'dns1123-subdomain', opts.defaultNamespace, d, module?.kind);
  const ref = resourceRef(input, opts.defaultNamespace);
  if (!module) return { ok: false, errors: d.errors, warnings: d.warnings, ...(ref ? { ref } : {}) };

  // With broken metadata the spec is still decoded so that all structural errors come back at once
  // (semantic checks are skipped once there are errors).
  const meta = metadata ?? { name: '', namespace: opts.defaultNamespace };
  const resource = module.decode(String(input.apiVersion), meta, input.spec, d);
  if (!resource || !d.ok) return { ok: false, errors: d.errors, warnings: d.warnings, ...(ref ? { ref } : {}) };
  return { ok: true, value: resource, warnings: d.warnings };
}

/** Identifies the resource in failure reports, from the raw input so it is known even when metadata is invalid. */
function resourceRef(input: Record<string, unknown>, defaultNamespace: string): { kind: string; namespace: string; name: string } | undefined {
  const meta = isPlainObject(input.metadata) ? input.metadata : {};
  if (typeof input.kind !== 'string' || typeof meta.name !== 'string' || meta.name === '') return undefined;
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : defaultNamespace;
  return { kind: input.kind, namespace, name: meta.name };
}

/**
 * `apiVersion` must name the kind's own group (a PeerAuthentication under `networking.istio.io`
 * is refused, as the Kubernetes API server would: no such resource in that group).
 */
function checkApiVersion(apiVersion: unknown, apis: readonly ApiGroupVersions[], kind: ConfigKind | undefined, d: Diagnostics): void {
  if (apiVersion === undefined) {
    d.error('apiVersion', 'required');
    return;
  }
  const supported = apis.flatMap((api) => api.versions.map((v) => `${api.group}/${v}`));
  if (typeof apiVersion !== 'string' || !supported.includes(apiVersion)) {
    const forKind = kind ? ` for kind ${kind}` : '';
    d.error('apiVersion', `unsupported apiVersion ${JSON.stringify(apiVersion)}${forKind} (supported: ${supported.join(', ')})`);
  }
}

function parseMetadata(raw: unknown, nameRule: KindModule<ConfigKind, unknown>['nameRule'], defaultNamespace: string, d: Diagnostics, kind?: ConfigKind): ConfigMeta | undefined {
  if (raw === undefined) {
    d.error('metadata', 'required');
    return undefined;
  }
  const parsed = objectMetaSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const e of issuesToFieldErrors(parsed.error.issues, 'metadata', objectMetaSchema)) d.error(e.path, e.message);
    return undefined;
  }
  return toConfigMeta(parsed.data, nameRule, defaultNamespace, d, kind);
}
