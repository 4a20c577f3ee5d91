import type { ClusterConfig, EndpointAssignment } from '../config/model';
import { type ClusterDeps, type PickContext, UpstreamCluster } from './cluster';
import { UpstreamHost, hostKey } from './host';

/** Envoy's default cleanup_interval for ORIGINAL_DST hosts. */
export const ORIGINAL_DST_CLEANUP_MS = 5000;

/**
 * ORIGINAL_DST (Istio's PassthroughCluster): the host is the request's own destination. With an
 * HTTP proxy request that is the absolute URL's (or Host header's) `host:port`; with iptables
 * capture it would be SO_ORIGINAL_DST. Hosts unused for a cleanup interval are closed.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/service_discovery#original-destination
 */
export class OriginalDstCluster extends UpstreamCluster {
  private readonly byKey = new Map<string, { host: UpstreamHost; used: boolean }>();
  private readonly timer: NodeJS.Timeout;

  constructor(config: ClusterConfig, deps: ClusterDeps) {
    super(config, deps);
    this.timer = setInterval(() => this.cleanup(), config.cleanupIntervalMs || ORIGINAL_DST_CLEANUP_MS).unref();
  }

  setEndpoints(_assignment: EndpointAssignment): void {
    // Hosts come from requests, never from a load assignment.
  }

  protected refresh(): void {
    // No load balancer: the destination is the host.
  }

  hosts(): readonly UpstreamHost[] {
    return [...this.byKey.values()].map((e) => e.host);
  }

  pick(ctx: PickContext): UpstreamHost | undefined {
    const d = ctx.destination;
    if (!d) return undefined;
    const key = hostKey(d.host, d.port);
    let entry = this.byKey.get(key);
    if (!entry) {
      const endpoint = { host: d.host, port: d.port, weight: 1, health: 'HEALTHY' as const, locality: '', priority: 0, localityWeight: 0 };
      entry = { host: new UpstreamHost(endpoint, this.hostOptions(endpoint)), used: true };
      this.byKey.set(key, entry);
    }
    entry.used = true;
    return entry.host;
  }

  private cleanup(): void {
    for (const [key, e] of this.byKey) {
      if (e.used || e.host.active > 0) e.used = false;
      else {
        this.byKey.delete(key);
        void e.host.close();
      }
    }
  }

  override async close(): Promise<void> {
    clearInterval(this.timer);
    await super.close();
  }
}
