import type { NetworkRbacConfig } from '../config/model';
import type { ConnectionInfo } from '../net/connection';
import type { StatsStore } from '../stats';
import type { DynamicMetadata } from './metadata';
import { RBAC_NETWORK_NAMESPACE, rbacDeniedDetails, runRbacFilter } from './rbac';

/** Envoy's statPrefixJoin: `tcp.` + `rbac.`, or `tcp` + `.rbac.`. */
function statPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? `${prefix}rbac.` : `${prefix}.rbac.`;
}

/**
 * The chain's network RBAC filters for a new connection, in order; the first denial stops. Stats
 * are `<stat_prefix>rbac.allowed|denied|shadow_*` (Istio: `tcp.rbac.*`). Envoy evaluates them on
 * the connection's first bytes; here they run when the connection is handed to the chain, before
 * any upstream connection, which for client-first protocols is the same decision (and never lets a
 * server-first upstream speak to a denied client). Returns the denial's details, or undefined.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/network_filters/rbac_filter
 */
export function networkRbacDenial(filters: readonly NetworkRbacConfig[], conn: ConnectionInfo, stats: StatsStore): string | undefined {
  const metadata: DynamicMetadata = {};
  for (const f of filters) {
    const prefix = statPrefix(f.statPrefix);
    const d = runRbacFilter(f, { conn, remoteIp: conn.remoteAddress, metadata }, { inc: (s) => stats.counter(`${prefix}${s}`).inc() }, RBAC_NETWORK_NAMESPACE);
    if (!d.allowed) return rbacDeniedDetails(d.policyId);
  }
  return undefined;
}
