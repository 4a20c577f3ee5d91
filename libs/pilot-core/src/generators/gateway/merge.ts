import type { BoundServer } from './servers';

/**
 * The TLS servers of one gateway port (HTTPS and TLS with termination, TLS PASSTHROUGH) become filter
 * chains matched by SNI, and Envoy rejects a listener whose chains repeat a match. Like Istio's
 * `mergeGateways` (pilot/pkg/model/gateway.go, `CheckDuplicates`), a TLS server naming a host an
 * earlier TLS server on the same port already serves is skipped as a whole; servers come in
 * Gateway precedence order (oldest first, then namespace/name) and then by index. Hosts compare by
 * the SNI name they produce, without their `namespace/` part, since that is what the filter chain
 * matches on. Plain HTTP and TCP servers pass unchanged.
 */
export function mergePortServers(servers: readonly BoundServer[]): BoundServer[] {
  const claimed = new Set<string>();
  return servers.filter((bs) => {
    if (!isTlsServer(bs)) return true;
    const hosts = sniHostsOf(bs);
    if (hosts.some((h) => claimed.has(h))) return false;
    for (const h of hosts) claimed.add(h);
    return true;
  });
}

export function isTlsServer(bs: BoundServer): boolean {
  return bs.kind === 'https' || bs.kind === 'tls-passthrough' || bs.kind === 'tls-terminated';
}

/** A server's hosts as SNI names: namespace filters dropped, duplicates removed, sorted. */
export function sniHostsOf(bs: BoundServer): string[] {
  return [...new Set((bs.server.hosts ?? []).map((h) => h.slice(h.indexOf('/') + 1)))].sort();
}

/**
 * The `server_names` of a chain for these SNI hosts: none when any is `*` (match every name, as
 * Istio does for a full wildcard), else the hosts.
 */
export function serverNamesFor(hosts: readonly string[]): string[] | undefined {
  return hosts.length === 0 || hosts.includes('*') ? undefined : [...hosts];
}

/**
 * Claims SNI names for passthrough chains on one port: returns the names of `wanted` not yet
 * claimed (and claims them). An SNI name already served by an HTTPS server or an earlier
 * passthrough route on the port would repeat a filter chain match, so it is left to its first
 * owner (Istio skips such a route: "duplicate SNI host names").
 */
export class SniClaims {
  private readonly names = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const n of initial) this.names.add(n);
  }

  claim(wanted: readonly string[]): string[] {
    const fresh = [...new Set(wanted)].filter((n) => !this.names.has(n));
    for (const n of fresh) this.names.add(n);
    return fresh;
  }
}
