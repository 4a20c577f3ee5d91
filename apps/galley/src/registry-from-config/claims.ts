import type { Service, Workload } from '@mizzen/mesh-model';
import type { DerivedRecord } from './derive-records';

export interface Claim {
  /** The config key (`ServiceEntry/ns/name`) that derives the record. */
  configKey: string;
  /** The config's creationTimestamp: the oldest claim wins, as Istio prefers the oldest config. */
  createdAt: string;
  record: Service | Workload;
}

/**
 * Which config derives which registry record. Two configs may derive the same key (two
 * ServiceEntries for one host in a namespace): the oldest wins, ties broken by config key, and
 * the next one takes over when the winner goes. Pure bookkeeping; the caller writes the winners.
 */
export class RegistryClaims {
  private readonly byConfig = new Map<string, Map<string, Claim>>();
  private readonly byKey = new Map<string, Map<string, Claim>>();

  /** Replaces what `configKey` derives; returns every registry key whose winner may have changed. */
  set(configKey: string, createdAt: string, records: readonly DerivedRecord[]): string[] {
    const affected = new Set(this.remove(configKey));
    const mine = new Map<string, Claim>();
    for (const { key, record } of records) {
      const claim = { configKey, createdAt, record };
      mine.set(key, claim);
      let claimants = this.byKey.get(key);
      if (!claimants) this.byKey.set(key, (claimants = new Map()));
      claimants.set(configKey, claim);
      affected.add(key);
    }
    if (mine.size) this.byConfig.set(configKey, mine);
    return [...affected].sort();
  }

  /** Forgets `configKey`; returns the registry keys it claimed. */
  remove(configKey: string): string[] {
    const mine = this.byConfig.get(configKey);
    if (!mine) return [];
    this.byConfig.delete(configKey);
    for (const key of mine.keys()) {
      const claimants = this.byKey.get(key);
      claimants?.delete(configKey);
      if (claimants && !claimants.size) this.byKey.delete(key);
    }
    return [...mine.keys()].sort();
  }

  winner(key: string): Claim | undefined {
    let best: Claim | undefined;
    for (const c of this.byKey.get(key)?.values() ?? []) {
      if (!best || c.createdAt < best.createdAt || (c.createdAt === best.createdAt && c.configKey < best.configKey)) best = c;
    }
    return best;
  }

  /** Claimants that lost `key` to the winner (for conflict logs). */
  losers(key: string): string[] {
    const w = this.winner(key);
    return [...(this.byKey.get(key)?.keys() ?? [])].filter((k) => k !== w?.configKey).sort();
  }

  /** Every claimed registry key. */
  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }
}
