import { isBusError, type KvStore } from '@mizzen/bus';
import { ConfigBucket, type ResourceRef, type StoredConfig } from '@mizzen/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type CurrentConfig, type PlannedDelete, type PlannedWrite, planDelete, planWrite } from '../ingest/plan-writes';
import type { ValidResource } from '../ingest/validate-documents';
import { CLOCK, type Clock } from '../platform/clock';
import { mapLimit } from '../platform/map-limit';
import { CONFIG_KV } from './kv-tokens';

const MAX_ATTEMPTS = 5;
/** KV requests in flight at most for one batch (reads when planning, writes when committing). */
export const KV_CONCURRENCY = 64;
/** From this many resources on, a plan lists the bucket's keys once instead of reading each key. */
const LIST_KEYS_FROM = 32;

/** What the config store needs of its bucket (a {@link KvStore}; narrowed so tests can fake it). */
export type ConfigKv = Pick<KvStore, 'get' | 'create' | 'update' | 'delete' | 'keys' | 'entries'>;

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
    @Inject(CONFIG_KV) readonly kv: ConfigKv,
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

  /**
   * Plans every resource against the stored state (no writes). A large batch lists the bucket's
   * live keys once and reads only the keys that exist (a batch of new resources reads nothing
   * else); a key created after the listing shows up as a create that conflicts at commit time,
   * where it is re-planned against fresh state.
   */
  async plan(resources: readonly ValidResource[], source: string): Promise<PlannedWrite[]> {
    const now = new Date(this.clock.now()).toISOString();
    const live = resources.length >= LIST_KEYS_FROM ? new Set(await this.kv.keys()) : undefined;
    return mapLimit(resources, KV_CONCURRENCY, async (r) => {
      const absent = live && !live.has(ConfigBucket.key(r.ref.kind, r.ref.namespace, r.ref.name));
      return planWrite(r, absent ? undefined : await this.current(r.ref), source, now);
    });
  }

  /**
   * Carries out a write planned by {@link plan} without reading the key again: create, or update
   * compare-and-set at the planned revision. If the key moved since, it is re-planned and written
   * as {@link commit} does.
   */
  async commitPlanned(res: ValidResource, planned: PlannedWrite, source: string): Promise<{ plan: PlannedWrite; revision?: number }> {
    try {
      if (planned.action === 'create') return { plan: planned, revision: await this.kv.create(planned.key, planned.value) };
      if (planned.action === 'update') return { plan: planned, revision: await this.kv.update(planned.key, planned.value, planned.expectedRevision) };
      if (planned.action === 'none') return { plan: planned, revision: planned.revision };
    } catch (err) {
      if (!isBusError(err, 'kv-conflict')) throw err;
      this.logger.debug(`${planned.key} changed since it was planned; re-planning`);
    }
    return this.commit(res, source);
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
    return mapLimit(refs, KV_CONCURRENCY, async (ref) => planDelete(ref, await this.current(ref), source));
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
