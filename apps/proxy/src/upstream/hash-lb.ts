import type { LbHost } from './load-balancer';
import { xxHash64 } from '../util/xxhash64';

/** A host with its share of the traffic; shares sum to 1 over the set. */
export interface WeightedHost<H> {
  host: H;
  share: number;
}

/** A consistent-hash balancer: the same hash lands on the same host while the set is stable. */
export interface HashBalancer<H> {
  /** `attempt` > 0 when a retry host predicate rejected earlier picks. */
  pick(hash: bigint, attempt: number): H | undefined;
}

/**
 * Ketama-style ring, built as Envoy's RingHashLoadBalancer builds it: each host gets
 * `scale * share` points hashed from `<address>_<i>` with xxHash64, where `scale` gives the
 * least-weighted host a whole number of points (at least minimumRingSize in total, at most
 * maximumRingSize). A request hash maps to the first point at or after it, wrapping around. When a
 * host leaves only the keys on its points move.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#ring-hash
 */
export class RingHashLb<H extends LbHost> implements HashBalancer<H> {
  private readonly hashes: BigUint64Array;
  private readonly hosts: H[];

  constructor(weighted: readonly WeightedHost<H>[], minimumRingSize: number, maximumRingSize: number) {
    const live = weighted.filter((w) => w.share > 0);
    const entries: Array<{ hash: bigint; host: H }> = [];
    if (live.length) {
      const minShare = Math.min(...live.map((w) => w.share));
      const scale = Math.min(Math.ceil(minShare * minimumRingSize) / minShare, maximumRingSize);
      let current = 0;
      let target = 0;
      for (const w of live) {
        target += scale * w.share;
        for (let i = 0; current < target; i++, current++) entries.push({ hash: xxHash64(`${w.host.key}_${i}`), host: w.host });
      }
    }
    entries.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    this.hashes = BigUint64Array.from(entries.map((e) => e.hash));
    this.hosts = entries.map((e) => e.host);
  }

  get size(): number {
    return this.hosts.length;
  }

  pick(hash: bigint, attempt: number): H | undefined {
    const n = this.hashes.length;
    if (!n) return undefined;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    // Envoy: with a retry host predicate, behave as if the chosen point were not on the ring.
    return this.hosts[(lo + attempt) % n];
  }
}

/**
 * Maglev lookup table (weighted, as Envoy's MaglevTable): each host has an offset and skip from
 * xxHash64 of its address (seeds 0 and 1) and takes table slots in permutation order, hosts with
 * a larger share taking turns more often. Lookups are `table[hash % size]`.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#maglev
 */
export class MaglevLb<H extends LbHost> implements HashBalancer<H> {
  private readonly table: Uint32Array;
  private readonly hosts: H[];

  constructor(weighted: readonly WeightedHost<H>[], tableSize: number) {
    const live = weighted.filter((w) => w.share > 0);
    this.hosts = live.map((w) => w.host);
    this.table = new Uint32Array(live.length ? tableSize : 0);
    if (!live.length) return;
    const size = BigInt(tableSize);
    const maxShare = Math.max(...live.map((w) => w.share));
    const build = live.map((w) => ({
      offset: Number(xxHash64(w.host.key, 0n) % size),
      skip: Number(xxHash64(w.host.key, 1n) % (size - 1n)) + 1,
      share: w.share,
      target: 0,
      next: 0,
    }));
    const filled = new Uint8Array(tableSize);
    let placed = 0;
    for (let iteration = 1; placed < tableSize; iteration++) {
      for (let i = 0; i < build.length && placed < tableSize; i++) {
        const e = build[i];
        if (iteration * e.share < e.target) continue;
        e.target += maxShare;
        let c = (e.offset + e.skip * e.next) % tableSize;
        while (filled[c]) c = (e.offset + e.skip * ++e.next) % tableSize;
        filled[c] = 1;
        this.table[c] = i;
        e.next++;
        placed++;
      }
    }
  }

  pick(hash: bigint, attempt: number): H | undefined {
    if (!this.hosts.length) return undefined;
    // Envoy flips most bits of the hash for each retry attempt.
    const h = attempt > 0 ? hash ^ ((1n << 64n) - BigInt(attempt)) : hash;
    return this.hosts[this.table[Number(h % BigInt(this.table.length))]];
  }
}
