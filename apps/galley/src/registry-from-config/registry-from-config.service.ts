import { type KvStore, type KvWatcher, watchKv } from '@mizzen/bus';
import type { ServiceEntry, WorkloadEntry } from '@mizzen/config-api';
import { ConfigBucket } from '@mizzen/contracts';
import type { RecordSource } from '@mizzen/mesh-model';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RetryTimer } from '../platform/retry-timer';
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
 */
@Injectable()
export class RegistryFromConfigService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RegistryFromConfigService.name);
  private readonly claims = new RegistryClaims();
  private queue: Promise<void> = Promise.resolve();
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
      if (e.type === 'synced') return this.run(() => this.sweepOrphans());
      const ref = ConfigBucket.parseKey(e.key);
      if (!ref || !REGISTRY_KINDS.has(ref.kind)) return;
      if (e.type === 'delete') return this.run(() => this.reconcile(this.claims.remove(e.key)));
      return this.run(() => this.onConfig(e.key, e.value));
    });
    await this.configWatch.synced;
    await this.queue;
    this.registryWatch = watchKv(this.registryKv, (e) => {
      if (e.type === 'delete' && this.claims.has(e.key)) return this.run(() => this.reconcile([e.key]));
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
    await this.queue;
  }

  /** Resolves when every change seen so far has been written (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private run(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      this.logger.error(`registry from config: ${(err as Error)?.message ?? String(err)}; will reconcile again`);
      this.retryTimer.schedule();
    });
    return this.queue;
  }

  private async resync(): Promise<void> {
    await this.reconcile(this.claims.keys());
    await this.sweepOrphans();
    this.retryTimer.reset();
  }

  private async onConfig(configKey: string, value: unknown): Promise<void> {
    const cfg = this.parse(configKey, value);
    if (!cfg) return this.reconcile(this.claims.remove(configKey));
    const { records, notes } = deriveRecords(cfg.config);
    for (const n of notes) this.logger.warn(`${configKey}: ${n}`);
    await this.reconcile(this.claims.set(configKey, cfg.createdAt, records));
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

  private async reconcile(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const winner = this.claims.winner(key);
      if (!winner) {
        if ((await this.registry.delete(key, ownsConfigDerived)) === 'deleted') this.logger.log(`${key} removed`);
        continue;
      }
      const losers = this.claims.losers(key);
      if (losers.length) this.logger.warn(`${key} is declared by ${[winner.configKey, ...losers].join(', ')}; the oldest, ${winner.configKey}, wins`);
      const result = await this.registry.put(key, winner.record, ownsConfigDerived);
      if (result === 'written') this.logger.log(`${key} written from ${winner.configKey}`);
      if (result === 'conflict') this.logger.warn(`${key} from ${winner.configKey} not written: the key is held by a registered workload or service`);
    }
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
