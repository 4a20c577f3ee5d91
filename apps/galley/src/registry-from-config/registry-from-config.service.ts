import { type KvStore, type KvWatcher, watchKv } from '@mizzen/bus';
import type { ServiceEntry, WorkloadEntry } from '@mizzen/config-api';
import { ConfigBucket } from '@mizzen/contracts';
import type { RecordSource } from '@mizzen/mesh-model';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RetryTimer } from '../platform/retry-timer';
import { KV_CONCURRENCY } from '../stores/config-store.service';
import { CONFIG_KV, REGISTRY_KV } from '../stores/kv-tokens';
import { RegistryStore } from '../stores/registry-store.service';
import { RESOURCE_VALIDATOR, type ResourceValidator } from '../validation/resource-validator';
import { RegistryClaims } from './claims';
import { deriveRecords, REGISTRY_KINDS } from './derive-records';

/** Records this feature writes, and so may replace or delete. */
export const ownsConfigDerived = (s: RecordSource): boolean => s.kind === 'ServiceEntry' || s.kind === 'WorkloadEntry';

/**
 * Keeps the registry in step with every accepted ServiceEntry and WorkloadEntry, whatever source
 * wrote it: it watches the config bucket (so API applies, files and other replicas all count),
 * derives the records (pure, derive-records.ts) and writes the winning claim of each key.
 * After the initial sync it removes derived records whose config is gone (deleted while no Galley
 * ran). Records owned by registration are never touched; a config claim blocked by one is written
 * once that record is deleted.
 *
 * Claims change synchronously with each config event; the registry keys they touch are marked
 * dirty and written by a pump with {@link KV_CONCURRENCY} writes in flight, one write per key at a
 * time, each writing the key's winner as it is when the write starts. So a 1000-resource apply
 * costs ~1000 / 64 round trips here, not 2000 sequential ones, and the last write of a key always
 * carries its latest claim.
 */
@Injectable()
export class RegistryFromConfigService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RegistryFromConfigService.name);
  private readonly claims = new RegistryClaims();
  private queue: Promise<void> = Promise.resolve();
  /** Registry keys whose winning claim may differ from what is stored. */
  private readonly dirty = new Set<string>();
  private readonly writing = new Set<string>();
  private settledWaiters: Array<() => void> = [];
  /** The registry bucket as the registry watch last reported it (complete once synced). */
  private readonly seen = new Map<string, { value: unknown; revision: number }>();
  private registrySynced = false;
  private configWatch: KvWatcher | undefined;
  private registryWatch: KvWatcher | undefined;
  private offReconnect: (() => void) | undefined;
  /** After a failed write (NATS or JetStream away): reconcile every key again, with backoff. */
  private readonly retryTimer = new RetryTimer(() => void this.run(() => this.resync()));

  constructor(
    @Inject(CONFIG_KV) private readonly configKv: KvStore,
    @Inject(REGISTRY_KV) private readonly registryKv: KvStore,
    private readonly registry: RegistryStore,
    @Inject(RESOURCE_VALIDATOR) private readonly validator: ResourceValidator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.configWatch = watchKv(this.configKv, async (e) => {
      if (e.type === 'synced') return void this.run(() => this.sweepOrphans());
      const ref = ConfigBucket.parseKey(e.key);
      if (!ref || !REGISTRY_KINDS.has(ref.kind)) return;
      if (e.type === 'delete') return this.markDirty(this.claims.remove(e.key));
      this.onConfig(e.key, e.value);
    });
    await this.configWatch.synced;
    await this.idle();
    this.registryWatch = watchKv(this.registryKv, (e) => {
      if (e.type === 'synced') this.registrySynced = true;
      else if (e.type === 'put') this.seen.set(e.key, { value: e.value, revision: e.revision });
      else {
        this.seen.delete(e.key);
        if (this.claims.has(e.key)) this.markDirty([e.key]);
      }
    });
    // Writes that failed while NATS was away are not replayed by the watch (nothing changed in
    // the config bucket), so everything is reconciled again once the connection is back.
    this.offReconnect = this.configKv.connection.onReconnect(() => this.retryTimer.schedule());
  }

  async onModuleDestroy(): Promise<void> {
    this.offReconnect?.();
    this.retryTimer.stop();
    await this.configWatch?.stop();
    await this.registryWatch?.stop();
    await this.idle();
  }

  /** Resolves when every change seen so far has been written (tests). */
  async idle(): Promise<void> {
    await this.queue;
    await this.settled();
    await this.queue;
  }

  /** Serial tasks (orphan sweeps, resyncs), each after the writes pending before it. */
  private run(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(() => this.settled())
      .then(task)
      .catch((err: unknown) => this.failed(err));
    return this.queue;
  }

  private failed(err: unknown): void {
    this.logger.error(`registry from config: ${(err as Error)?.message ?? String(err)}; will reconcile again`);
    this.retryTimer.schedule();
  }

  private async resync(): Promise<void> {
    this.markDirty(this.claims.keys());
    await this.settled();
    await this.sweepOrphans();
    this.retryTimer.reset();
  }

  private onConfig(configKey: string, value: unknown): void {
    const cfg = this.parse(configKey, value);
    if (!cfg) return this.markDirty(this.claims.remove(configKey));
    const { records, notes } = deriveRecords(cfg.config);
    for (const n of notes) this.logger.warn(`${configKey}: ${n}`);
    this.markDirty(this.claims.set(configKey, cfg.createdAt, records));
  }

  private markDirty(keys: readonly string[]): void {
    for (const k of keys) this.dirty.add(k);
    this.pump();
  }

  /** Starts writes for dirty keys not being written, up to the concurrency limit. */
  private pump(): void {
    for (const key of this.dirty) {
      if (this.writing.size >= KV_CONCURRENCY) break;
      if (this.writing.has(key)) continue; // written again once the write in flight is done
      this.dirty.delete(key);
      this.writing.add(key);
      this.reconcileKey(key)
        .catch((err: unknown) => this.failed(err))
        .finally(() => {
          this.writing.delete(key);
          this.pump();
        });
    }
    if (this.dirty.size === 0 && this.writing.size === 0) {
      const waiters = this.settledWaiters;
      this.settledWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once no registry write is pending or in flight. */
  private settled(): Promise<void> {
    if (this.dirty.size === 0 && this.writing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * Stored values were validated when written; they are validated again here because this
   * reader trusts nothing it did not parse (and the rules may have changed since).
   */
  private parse(configKey: string, value: unknown): { config: ServiceEntry | WorkloadEntry; createdAt: string } | undefined {
    const stored = ConfigBucket.value(value);
    if (!stored.ok) {
      this.logger.warn(`${configKey}: not a stored config; ignored`);
      return undefined;
    }
    const { apiVersion, kind, metadata, spec } = stored.value;
    const doc = { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels, annotations: metadata.annotations }, spec };
    const r = this.validator.validate(doc, metadata.namespace);
    if (!r.ok) {
      this.logger.warn(`${configKey}: no longer valid, deriving nothing: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      return undefined;
    }
    const config = r.resource;
    if (config.kind !== 'ServiceEntry' && config.kind !== 'WorkloadEntry') return undefined;
    return { config, createdAt: metadata.creationTimestamp ?? '' };
  }

  private async reconcileKey(key: string): Promise<void> {
    const winner = this.claims.winner(key);
    if (!winner) {
      if ((await this.registry.delete(key, ownsConfigDerived)) === 'deleted') this.logger.log(`${key} removed`);
      return;
    }
    const losers = this.claims.losers(key);
    if (losers.length) this.logger.warn(`${key} is declared by ${[winner.configKey, ...losers].join(', ')}; the oldest, ${winner.configKey}, wins`);
    // What the watch last saw saves a read per key; a stale view only costs a failed compare-and-set.
    const result = await this.registry.put(key, winner.record, ownsConfigDerived, this.registrySynced ? (this.seen.get(key) ?? null) : undefined);
    if (result === 'written') this.logger.log(`${key} written from ${winner.configKey}`);
    if (result === 'conflict') this.logger.warn(`${key} from ${winner.configKey} not written: the key is held by a registered workload or service`);
  }

  private async sweepOrphans(): Promise<void> {
    for (const e of await this.registry.list()) {
      if (ownsConfigDerived(e.record.source) && !this.claims.has(e.key)) {
        await this.registry.delete(e.key, ownsConfigDerived);
        this.logger.log(`${e.key} removed (its ${e.record.source.kind} is gone)`);
      }
    }
  }
}
