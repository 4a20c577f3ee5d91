import type { Diagnostics } from '../../core/diagnostics';
import { isDNS1123Label } from './dns';

export interface ExportToOptions {
  /** ServiceEntry may use `~` (exported to no one but the service's own proxies). */
  allowNone?: boolean;
  /** A DestinationRule with a workloadSelector may only be exported to its own namespace. */
  restrictToOwnNamespace?: boolean;
}

/**
 * Istio `validateExportTo`: entries are `.` (own namespace), `*` (all), `~` (none; ServiceEntry
 * only) or namespace names; no duplicates (`.` and the own namespace are the same entry); `*` and
 * `~` must stand alone. https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-export_to
 */
export function validateExportTo(d: Diagnostics, path: string, namespace: string, exportTo: readonly string[] | undefined, opts: ExportToOptions = {}): void {
  if (!exportTo || exportTo.length === 0) return;
  const seen = new Set<string>();
  exportTo.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    const key = entry === '.' ? namespace : entry;
    if (seen.has(key)) {
      d.error(at, key !== entry ? `duplicate entries in exportTo: . and current namespace ${namespace}` : `duplicate entries in exportTo for entry ${entry}`);
      return;
    }
    if (entry === '~' && !opts.allowNone) {
      d.error(at, 'exportTo ~ (none) is only allowed for ServiceEntry');
      return;
    }
    if (entry !== '*' && entry !== '~' && !isDNS1123Label(key)) {
      d.error(at, 'only ., *, ~ (ServiceEntry) or a valid DNS-1123 namespace name is allowed as exportTo entry');
      return;
    }
    seen.add(key);
  });
  if (opts.restrictToOwnNamespace && seen.size > 0) {
    if (!seen.has(namespace)) d.error(path, 'destination rule with workload selector cannot have exportTo beyond current namespace');
    else if (seen.size > 1) d.error(path, 'destination rule with workload selector cannot have multiple entries in exportTo');
  }
  if (seen.has('*') && exportTo.length > 1) d.error(path, 'cannot have both public (*) and non-public exportTo values for a resource');
  if (seen.has('~') && exportTo.length > 1) d.error(path, 'cannot export service entry to no one (~) and someone');
}
