import { isK8sDNS1123Label, isK8sDNS1123Subdomain } from '../common/checks/dns';
import { checkLabelKey, validateLabels } from '../common/checks/labels';
import type { Diagnostics } from '../core/diagnostics';
import { keyPath } from '../core/field-path';
import type { KindModule } from '../core/kind-module';
import type { ConfigKind, ConfigMeta } from '../core/types';
import type { ObjectMeta } from './schema';

/** Istio rejects its dry-run annotation on everything but AuthorizationPolicy. */
const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

/**
 * Turns ObjectMeta into {@link ConfigMeta}: the name is required and must be a DNS-1123 subdomain
 * (a label for Gateways), the namespace defaults to `defaultNamespace` and must be a DNS-1123 label,
 * labels and annotation keys must be valid Kubernetes keys.
 */
export function toConfigMeta(meta: ObjectMeta, rule: KindModule<ConfigKind, unknown>['nameRule'], defaultNamespace: string, d: Diagnostics, kind?: ConfigKind): ConfigMeta {
  const name = meta.name ?? '';
  if (name === '') d.error('metadata.name', meta.generateName ? 'required (generateName is not supported)' : 'required');
  else if (rule === 'dns1123-label' && !isK8sDNS1123Label(name)) d.error('metadata.name', `invalid name ${JSON.stringify(name)}: must be a DNS-1123 label (lower case alphanumerics and '-', max 63)`);
  else if (rule === 'dns1123-subdomain' && !isK8sDNS1123Subdomain(name)) {
    d.error('metadata.name', `invalid name ${JSON.stringify(name)}: must be a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', max 253)`);
  }
  const namespace = meta.namespace || defaultNamespace;
  if (!isK8sDNS1123Label(namespace)) d.error('metadata.namespace', `invalid namespace ${JSON.stringify(namespace)}: must be a DNS-1123 label`);
  validateLabels(d, 'metadata.labels', meta.labels);
  for (const key of Object.keys(meta.annotations ?? {})) {
    const at = keyPath('metadata.annotations', key);
    d.errorIf(at, checkLabelKey(key));
    if (key === DRY_RUN_ANNOTATION && kind !== 'AuthorizationPolicy') d.error(at, `unsupported annotation ${DRY_RUN_ANNOTATION} (only AuthorizationPolicy supports it)`);
  }
  const out: ConfigMeta = { name, namespace };
  if (meta.labels) out.labels = meta.labels;
  if (meta.annotations) out.annotations = meta.annotations;
  if (meta.generation !== undefined) out.generation = meta.generation;
  if (meta.creationTimestamp !== undefined) out.creationTimestamp = meta.creationTimestamp;
  if (meta.resourceVersion !== undefined) out.resourceVersion = meta.resourceVersion;
  return out;
}
