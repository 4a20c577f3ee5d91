import type { ExtAuthzConfig } from '../../config/model';
import type { HeaderMap } from '../../http/headers';
import { type DynamicMetadata, matchMetadata } from '../metadata';
import type { AuthzClient, CheckInput, HeaderChange } from './check';

/** ext_authz writes the service's dynamic_metadata under its filter name. */
export const EXT_AUTHZ_NAMESPACE = 'envoy.filters.http.ext_authz';

export type ExtAuthzOutcome =
  | {
      kind: 'continue';
      /** Counter bumped (`ok`, `disabled`, `failure_mode_allowed`), under `ext_authz.`. */
      stats: string[];
      responseHeaders: HeaderChange[];
      clearRouteCache: boolean;
    }
  | { kind: 'deny'; stats: string[]; status: number; body: string; headers: HeaderChange[]; details: 'ext_authz_denied' | 'ext_authz_error' };

/** Applies the service's request header changes: overwrite or append, then removals. */
export function applyHeaderChanges(headers: HeaderMap, changes: readonly HeaderChange[], remove: readonly string[]): boolean {
  for (const c of changes) {
    const cur = headers[c.key];
    if (c.append && cur !== undefined) headers[c.key] = [...(Array.isArray(cur) ? cur : [cur]), c.value];
    else headers[c.key] = c.value;
  }
  for (const r of remove) delete headers[r];
  return changes.length > 0 || remove.length > 0;
}

/**
 * Envoy's ext_authz filter for one request: skipped (`disabled`) unless filter_enabled draws it and
 * filter_enabled_metadata matches (Istio: only when the CUSTOM shadow RBAC matched a policy); else
 * the service decides: OK continues with its header changes (`ok`), a denial is answered with the
 * service's status, body and headers (`denied`, flag UAEX), an error with status_on_error (`error`)
 * unless failure_mode_allow lets it through (`failure_mode_allowed`).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/ext_authz_filter
 */
export async function runExtAuthz(cfg: ExtAuthzConfig, client: AuthzClient, input: CheckInput, headers: HeaderMap, metadata: DynamicMetadata, rng: () => number): Promise<ExtAuthzOutcome> {
  const enabled = (cfg.filterEnabled >= 1 || rng() < cfg.filterEnabled) && (!cfg.filterEnabledMetadata || matchMetadata(cfg.filterEnabledMetadata, metadata));
  if (!enabled) return { kind: 'continue', stats: ['disabled'], responseHeaders: [], clearRouteCache: false };
  const r = await client.check(input);
  if (r.kind !== 'error' && r.dynamicMetadata) metadata[EXT_AUTHZ_NAMESPACE] = { ...(metadata[EXT_AUTHZ_NAMESPACE] ?? {}), ...r.dynamicMetadata };
  if (r.kind === 'ok') {
    const changed = applyHeaderChanges(headers, r.headers, r.headersToRemove);
    return { kind: 'continue', stats: ['ok'], responseHeaders: r.responseHeaders, clearRouteCache: cfg.clearRouteCache && changed };
  }
  if (r.kind === 'denied') return { kind: 'deny', stats: ['denied'], status: r.status, body: r.body, headers: r.headers, details: 'ext_authz_denied' };
  if (cfg.failureModeAllow) {
    if (cfg.failureModeAllowHeaderAdd) headers['x-envoy-auth-failure-mode-allowed'] = 'true';
    return { kind: 'continue', stats: ['error', 'failure_mode_allowed'], responseHeaders: [], clearRouteCache: false };
  }
  return { kind: 'deny', stats: ['error'], status: cfg.statusOnError, body: '', headers: [], details: 'ext_authz_error' };
}
