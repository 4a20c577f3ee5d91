import type { RouteDestination } from '@mizzen/config-api';
import { hostsOverlap, type ProxyNode, type Service } from '@mizzen/mesh-model';
import type { FilterChain } from '@mizzen/xds-types';
import { outboundClusterName } from '../../naming/cluster-name';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { cidrKey, cidrRange } from '../common/cidr';
import type { RouteContext } from '../common/destination';
import { tcpProxyChain } from '../common/tcp-proxy';
import { l4MatchApplies, l4RouteContext } from './l4-match';

/**
 * Filter chains of a TPROXY sidecar's outbound TCP/TLS listener on `0.0.0.0:<port>`, where the
 * connection's original destination is the socket's local address. As Istio
 * (pilot/pkg/networking/core/listener_tcp.go `buildSidecarOutboundTCPFilterChainOpts`,
 * listener_tls.go `buildSidecarOutboundTLSFilterChainOpts`), each chain's
 * `filter_chain_match.prefix_ranges` is the match's `destinationSubnets` if it has any, else the
 * service's addresses (ServiceEntry `addresses`; a single IP is a /32). A chain without
 * prefix_ranges (a service without addresses) is the port's fallback; Envoy picks the most
 * specific prefix first, then the server name.
 */

const serviceDefault = (svc: Service, port: number): RouteDestination[] => [{ destination: { host: svc.hostname, port: { number: port } } }];

/** The stat-name cluster of tcp_proxy (Istio's `outbound|port||host`). */
const clusterName = (svc: Service, port: number): string => outboundClusterName(port, '', svc.hostname);

/** `chain` restricted to destinations in `subnets` (none: every destination). */
function onSubnets(chain: FilterChain, subnets: readonly string[]): FilterChain {
  if (!subnets.length) return chain;
  const { filterChainMatch, ...rest } = chain;
  return { filterChainMatch: { prefixRanges: subnets.map(cidrRange), ...filterChainMatch }, ...rest };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/**
 * TCP: every applying `tcp` route with `destinationSubnets` gets a chain on those subnets; the
 * first applying route without them is terminal and takes the service's addresses; without a
 * terminal route the service's default route does.
 */
export function tproxyTcpChains(snapshot: MeshSnapshot, proxy: ProxyNode, svc: Service, port: number): FilterChain[] {
  const own = svc.addresses ?? [];
  const chain = (subnets: readonly string[], dests: readonly RouteDestination[], ctx: RouteContext) => onSubnets(tcpProxyChain(clusterName(svc, port), dests, ctx), subnets);
  const out: FilterChain[] = [];
  for (const vs of snapshot.virtualServicesForHost(svc.hostname, 'mesh', proxy.namespace)) {
    const ctx = l4RouteContext(snapshot, vs, proxy, port);
    for (const r of vs.spec.tcp ?? []) {
      if (!r.route?.length) continue;
      const applying = r.match?.length ? r.match.filter((m) => l4MatchApplies(m, port, proxy)) : [{}];
      if (!applying.length) continue;
      if (applying.some((m) => !m.destinationSubnets?.length)) return [...out, chain(own, r.route, ctx)];
      const subnets = applying.flatMap((m) => m.destinationSubnets ?? []);
      out.push(chain(subnets, r.route, ctx));
      // Istio: a subnet chain equal to the service's own addresses already is the default.
      if (own.length && sameSet(subnets, own)) return out;
    }
  }
  return [...out, chain(own, serviceDefault(svc, port), l4RouteContext(snapshot, undefined, proxy, port))];
}

/**
 * TLS: one chain per applying `tls` match (its SNI hosts of this service, on its
 * `destinationSubnets` or the service's addresses). Without any, the default chain matches the
 * service's addresses, plus its host name as SNI unless every address is a single IP (Istio adds
 * the SNI only for CIDR or address-less services, whose listener is not a VIP of their own).
 */
export function tproxyTlsChains(snapshot: MeshSnapshot, proxy: ProxyNode, svc: Service, port: number): FilterChain[] {
  const own = svc.addresses ?? [];
  const out: FilterChain[] = [];
  const handled = new Set<string>();
  for (const vs of snapshot.virtualServicesForHost(svc.hostname, 'mesh', proxy.namespace)) {
    for (const r of vs.spec.tls ?? []) {
      if (!r.route?.length) continue;
      for (const m of r.match.filter((x) => l4MatchApplies(x, port, proxy))) {
        const sni = m.sniHosts.filter((h) => hostsOverlap(h, svc.hostname));
        const subnets = m.destinationSubnets?.length ? m.destinationSubnets : own;
        const key = JSON.stringify([sni, subnets]);
        if (!sni.length || handled.has(key)) continue;
        handled.add(key);
        out.push(onSubnets(tcpProxyChain(clusterName(svc, port), r.route, l4RouteContext(snapshot, vs, proxy, port), sni), subnets));
      }
    }
  }
  if (out.length) return out;
  const vipOnly = own.length > 0 && own.every((a) => !a.includes('/'));
  return [onSubnets(tcpProxyChain(clusterName(svc, port), serviceDefault(svc, port), l4RouteContext(snapshot, undefined, proxy, port), vipOnly ? undefined : [svc.hostname]), own)];
}

/**
 * Drops what an earlier chain already matches, so no two chains share a (prefix, server name)
 * pair: Envoy rejects "multiple filter chains with the same matching rules". The earlier chain
 * wins, as Istio merges services on one port in host order; a chain losing some of its prefixes
 * keeps the rest.
 */
export function uniqueChainMatches(chains: readonly FilterChain[]): FilterChain[] {
  const seen = new Set<string>();
  const out: FilterChain[] = [];
  for (const c of chains) {
    const m = c.filterChainMatch ?? {};
    const names = m.serverNames?.length ? m.serverNames : ['*'];
    const ranges = m.prefixRanges ?? [];
    const keys = (range: string) => names.map((n) => `${range}|${n}`);
    if (!ranges.length) {
      if (keys('*').some((k) => seen.has(k))) continue;
      keys('*').forEach((k) => seen.add(k));
      out.push(c);
      continue;
    }
    const free = ranges.filter((r) => !keys(cidrKey(r)).some((k) => seen.has(k)));
    if (!free.length) continue;
    free.forEach((r) => keys(cidrKey(r)).forEach((k) => seen.add(k)));
    out.push(free.length === ranges.length ? c : { ...c, filterChainMatch: { ...m, prefixRanges: free } });
  }
  return out;
}
