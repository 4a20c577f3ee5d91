import type { ProxyNode } from '@mizzen/mesh-model';
import { TypeUrl, type ResourceTypeUrl, type XdsResource } from '@mizzen/xds-types';
import type { GenerationContext } from '../generators/types';
import { parseOutboundClusterName } from '../naming/cluster-name';
import type { MeshChange } from '../push/mesh-change';
import type { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { edsClusterKey, generationKey } from './generation-keys';

export interface GenerationCacheOptions<V> {
  /** The generator table (registry.ts `generate`). */
  generate(ctx: GenerationContext, typeUrl: ResourceTypeUrl): XdsResource[];
  /** Turns generated resources into the cached value (Pilot: encoded resources + version). */
  build(resources: readonly XdsResource[]): V;
  /** Joins per-cluster EDS values, in cluster name order, into one response's value. */
  combine(parts: readonly V[]): V;
  /** Entries kept at most; past it the cache starts over (default 100 000). */
  maxEntries?: number;
}

interface Entry<V> {
  value: V;
  /** EDS entries of an outbound cluster: its service host (incremental invalidation). */
  edsHost?: string;
}

/**
 * Per-snapshot memo of generator output (Istio's XdsCache): a push to 1000 sidecars that share a
 * namespace and Sidecar scope generates, encodes and hashes their CDS and RDS once. Keys come from
 * generation-keys.ts. EDS is generated and cached per cluster (the EDS generator maps each
 * requested name independently), so proxies subscribing different sets still share clusters.
 *
 * Invalidation follows the snapshot: {@link advance} drops what a change can alter. On an
 * endpoint-only change (workloads) the ClusterLoadAssignments of services that select none of the
 * changed workloads (before or after) stay: a workload is read by EDS only through the endpoints
 * of the services selecting it (incremental EDS). Everything else goes, since other outputs read
 * workloads too (auto mTLS clusters carry the service accounts of a service's workloads). A
 * resolved JWKS change is handled the same way: EDS never reads key sets, everything else
 * (the listeners that inline them) goes, so a rotated key set yields new listener content and
 * version. Any config or service change, or a snapshot the cache was not advanced to, starts over.
 */
export class GenerationCache<V> {
  private entries = new Map<string, Entry<V>>();
  private snapshot?: MeshSnapshot;
  hits = 0;
  misses = 0;

  constructor(private readonly o: GenerationCacheOptions<V>) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value for one response: the proxy's resources of `typeUrl` under `snapshot`. */
  get(snapshot: MeshSnapshot, proxy: ProxyNode, typeUrl: ResourceTypeUrl, names: readonly string[] | undefined): V {
    if (snapshot !== this.snapshot) this.reset(snapshot);
    if (typeUrl === TypeUrl.ClusterLoadAssignment) {
      const unique = [...new Set(names ?? [])].sort();
      return this.o.combine(unique.map((n) => this.lookup(`${proxy.type}\0${edsClusterKey(snapshot, proxy, n)}`, () => this.o.generate({ snapshot, proxy, names: [n] }, typeUrl), parseOutboundClusterName(n)?.host)));
    }
    return this.lookup(generationKey(snapshot, proxy, typeUrl, names), () => this.o.generate({ snapshot, proxy, names }, typeUrl));
  }

  /** Moves the cache from `before` to `after`, keeping what `change` cannot have altered. */
  advance(before: MeshSnapshot, after: MeshSnapshot, change: MeshChange): void {
    if (this.snapshot !== before || change.full || change.configs.size > 0 || change.services.size > 0) return this.reset(after);
    const hosts = new Set<string>();
    for (const key of change.workloads) {
      const i = key.indexOf('/');
      const [ns, name] = [key.slice(0, i), key.slice(i + 1)];
      for (const snap of [before, after]) {
        const w = snap.workload(ns, name);
        if (w) for (const h of snap.servicesSelecting(w)) hosts.add(h);
      }
    }
    for (const [k, e] of this.entries) if (e.edsHost === undefined || hosts.has(e.edsHost)) this.entries.delete(k);
    this.snapshot = after;
  }

  private reset(snapshot: MeshSnapshot): void {
    this.entries = new Map();
    this.snapshot = snapshot;
  }

  private lookup(key: string, generate: () => XdsResource[], edsHost?: string): V {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      return hit.value;
    }
    this.misses++;
    const value = this.o.build(generate());
    if (this.entries.size >= (this.o.maxEntries ?? 100_000)) this.entries = new Map();
    this.entries.set(key, { value, edsHost });
    return value;
  }
}
