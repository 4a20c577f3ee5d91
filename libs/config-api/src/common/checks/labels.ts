import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import { isDNS1123Subdomain } from './dns';

/** Kubernetes qualified name (label key name part; non-empty label values): max 63 characters. */
const QUALIFIED_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label key: `[prefix/]name`, prefix a DNS-1123 subdomain, name a qualified name. */
export function checkLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `invalid label key ${JSON.stringify(key)}`;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDNS1123Subdomain(parts[0])) return `invalid label key prefix ${JSON.stringify(parts[0])}`;
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) return `invalid label key ${JSON.stringify(key)}`;
  return undefined;
}

/** A label value: empty, or a qualified name of at most 63 characters. */
export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !QUALIFIED_NAME.test(value)) return `invalid label value ${JSON.stringify(value)}`;
  return undefined;
}

/** Istio `labels.Instance.Validate`: every key and value must be a valid Kubernetes label. */
export function validateLabels(d: Diagnostics, path: string, labels: Readonly<Record<string, string>> | undefined): void {
  if (!labels) return;
  for (const [k, v] of Object.entries(labels)) {
    const at = keyPath(path, k);
    d.errorIf(at, checkLabelKey(k));
    d.errorIf(at, checkLabelValue(v));
  }
}

/**
 * Istio `ValidateAlphaWorkloadSelector` / `validateWorkloadSelector`: no empty keys, no wildcards;
 * an empty selector is a warning because it selects every workload in the namespace.
 */
export function validateSelectorLabels(d: Diagnostics, path: string, labels: Readonly<Record<string, string>> | undefined): void {
  const entries = Object.entries(labels ?? {});
  for (const [k, v] of entries) {
    const at = keyPath(path, k);
    if (k === '') d.error(at, 'empty key is not supported in selector');
    if (k.includes('*') || v.includes('*')) d.error(at, `wildcard is not supported in selector: "${k}=${v}"`);
  }
  if (entries.length === 0) d.warn(path, 'workload selector specified without labels; it applies to every workload in the namespace');
}
