import type { VirtualService } from '@mizzen/config-api';
import { matchesSelector, type ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import type { RouteContext } from '../common/destination';

/** The match attributes TCP and TLS routes share (Istio `L4MatchAttributes` / `TLSMatchAttributes`). */
export interface L4Match {
  port?: number;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  gateways?: string[];
  destinationSubnets?: string[];
}

/**
 * Whether a `tcp`/`tls` match entry applies to this sidecar on `port`: its `sourceLabels` and
 * `sourceNamespace` select the proxies the route is generated for, and match-level `gateways`
 * must include `mesh` (Istio's `matchTCP` / `matchTLS` for sidecars). `destinationSubnets` is not
 * checked here: it becomes the filter chain's `prefix_ranges` (TPROXY capture only).
 */
export function l4MatchApplies(m: L4Match, port: number, proxy: ProxyNode): boolean {
  if (m.port !== undefined && m.port !== port) return false;
  if (m.sourceLabels && !matchesSelector(proxy.labels, m.sourceLabels)) return false;
  if (m.sourceNamespace && m.sourceNamespace !== proxy.namespace) return false;
  return !m.gateways?.length || m.gateways.includes('mesh');
}

/** Destination resolution context for a route of `vs` (or the service's default route). */
export const l4RouteContext = (snapshot: MeshSnapshot, vs: VirtualService | undefined, proxy: ProxyNode, port: number): RouteContext => ({
  snapshot,
  configNamespace: vs?.metadata.namespace ?? proxy.namespace,
  port,
  client: proxy,
});
