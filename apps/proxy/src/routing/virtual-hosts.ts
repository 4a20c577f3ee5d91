import type { VirtualHost } from '../config/model';

/**
 * Virtual host selection by `:authority`, following Envoy's precedence: an exact domain, then the
 * longest suffix wildcard (`*.foo.com`, `*-bar.foo.com`), then the longest prefix wildcard
 * (`foo.*`), then `*`. Domains are case-insensitive and compared with the port as sent (Istio lists
 * `host` and `host:port` forms explicitly).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-virtualhost
 */
export class VirtualHostIndex {
  private readonly exact = new Map<string, VirtualHost>();
  /** [suffix without `*`, vhost], longest first. */
  private readonly suffixes: Array<[string, VirtualHost]> = [];
  /** [prefix without `*`, vhost], longest first. */
  private readonly prefixes: Array<[string, VirtualHost]> = [];
  private catchAll?: VirtualHost;

  constructor(vhosts: readonly VirtualHost[]) {
    for (const vh of vhosts) for (const d of vh.domains) this.add(d.toLowerCase(), vh);
    this.suffixes.sort((a, b) => b[0].length - a[0].length);
    this.prefixes.sort((a, b) => b[0].length - a[0].length);
  }

  private add(domain: string, vh: VirtualHost): void {
    if (domain === '*') this.catchAll ??= vh;
    else if (domain.startsWith('*')) this.suffixes.push([domain.slice(1), vh]);
    else if (domain.endsWith('*')) this.prefixes.push([domain.slice(0, -1), vh]);
    else if (!this.exact.has(domain)) this.exact.set(domain, vh);
  }

  find(authority: string): VirtualHost | undefined {
    const host = authority.toLowerCase();
    const exact = this.exact.get(host);
    if (exact) return exact;
    // A wildcard must cover at least one character: `*.foo.com` does not match `.foo.com`.
    for (const [s, vh] of this.suffixes) if (host.length > s.length && host.endsWith(s)) return vh;
    for (const [p, vh] of this.prefixes) if (host.length > p.length && host.startsWith(p)) return vh;
    return this.catchAll;
  }
}
