import { isBusError, type KvStore } from '@mizzen/bus';
import { ConfigBucket, type ResourceRef, type StoredConfig } from '@mizzen/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type CurrentConfig, type PlannedDelete, type PlannedWrite, planDelete, planWrite } from '../ingest/plan-writes';
import type { ValidResource } from '../ingest/validate-documents';
import { CLOCK, type Clock } from '../platform/clock';
import { CONFIG_KV } from './kv-tokens';

const MAX_ATTEMPTS = 5;

export interface StoredEntry {
  key: string;
  value: StoredConfig;
  revision: number;
}

/**
 * The config bucket: reads parse values with the contract, writes are compare-and-set against the
 * revision they were planned from and re-planned on conflict, so concurrent writers (another
 * replica, the directory source) never silently overwrite each other.
 */
@Injectable()
export class ConfigStore {
  private readonly logger = new Logger(ConfigStore.name);

  constructor(
    @Inject(CONFIG_KV) readonly kv: KvStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async current(ref: ResourceRef): Promise<CurrentConfig | undefined> {
    const key = ConfigBucket.key(ref.kind, ref.namespace, ref.name);
    const e = await this.kv.get(key);
    if (!e) return undefined;
    const parsed = ConfigBucket.value(e.value);
    if (!parsed.ok) {
      // A value no contract-abiding writer produced: treat it as owned by nobody so it can be replaced.
      this.logger.warn(`${key}@${e.revision} is not a valid stored config; it will be replaced: ${JSON.stringify(parsed.errors)}`);
      return { value: { apiVersion: '', kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, spec: {}, source: 'api' }, revision: e.revision };
    }
    return { value: parsed.value, revision: e.revision };
  }

  /** Plans every resource against the stored state (no writes). */
  async plan(resources: readonly ValidResource[], source: string): Promise<PlannedWrite[]> {
    const now = new Date(this.clock.now()).toISOString();
    return Promise.all(resources.map(async (r) => planWrite(r, await this.current(r.ref), source, now)));
  }

  /**
   * Plans `res` against fresh state and writes it compare-and-set, re-planning when another
   * writer got there first. Returns the plan that was carried out (a `conflict` writes nothing).
   */
  async commit(res: ValidResource, source: string): Promise<{ plan: PlannedWrite; revision?: number }> {
    for (let attempt = 1; ; attempt++) {
      const now = new Date(this.clock.now()).toISOString();
      const plan = planWrite(res, await this.current(res.ref), source, now);
      try {
        if (plan.action === 'create') return { plan, revision: await this.kv.create(plan.key, plan.value) };
        if (plan.action === 'update') return { plan, revision: await this.kv.update(plan.key, plan.value, plan.expectedRevision) };
        return { plan, revision: plan.action === 'none' ? plan.revision : undefined };
      } catch (err) {
        if (!isBusError(err, 'kv-conflict') || attempt >= MAX_ATTEMPTS) throw err;
        this.logger.debug(`${plan.key} changed while writing; re-planning (attempt ${attempt})`);
      }
    }
  }

  async planDeletes(refs: readonly ResourceRef[], source: string): Promise<PlannedDelete[]> {
    return Promise.all(refs.map(async (ref) => planDelete(ref, await this.current(ref), source)));
  }

  /** Deletes `ref` compare-and-set, re-planning on conflict. */
  async commitDelete(ref: ResourceRef, source: string): Promise<{ plan: PlannedDelete; revision?: number }> {
    for (let attempt = 1; ; attempt++) {
      const plan = planDelete(ref, await this.current(ref), source);
      if (plan.action !== 'delete') return { plan };
      try {
        return { plan, revision: await this.kv.delete(plan.key, { expectedRevision: plan.expectedRevision }) };
      } catch (err) {
        if (!isBusError(err, 'kv-conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Every stored resource (values that fail the contract are skipped with a warning). */
  async list(): Promise<StoredEntry[]> {
    const out: StoredEntry[] = [];
    for (const e of await this.kv.entries()) {
      const parsed = ConfigBucket.value(e.value);
      if (parsed.ok) out.push({ key: e.key, value: parsed.value, revision: e.revision });
      else this.logger.warn(`${e.key}@${e.revision} is not a valid stored config; ignored`);
    }
    return out;
  }
}
