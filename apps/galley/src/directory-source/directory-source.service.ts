import fs from 'node:fs/promises';
import path from 'node:path';
import { type KvStore, type KvWatcher, watchKv } from '@mizzen/bus';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type FSWatcher, watch } from 'chokidar';
import { isFileSource } from '../ingest/ownership';
import { refKey, type ValidResource, validateDocuments } from '../ingest/validate-documents';
import { GALLEY_CONFIG, type GalleyConfig } from '../platform/galley-config';
import { RetryTimer } from '../platform/retry-timer';
import { ConfigStore } from '../stores/config-store.service';
import { CONFIG_KV } from '../stores/kv-tokens';
import { RESOURCE_VALIDATOR, type ResourceValidator } from '../validation/resource-validator';
import { describeRejection, fileSource, isConfigFile, refFromKey, removedByFile } from './file-sources';

/**
 * The watched config directory: each file's content is the desired state of the resources it
 * owns (source `file:<relative path>`).
 * - A valid file is applied: its resources written, the ones it no longer declares deleted.
 * - An invalid file is rejected whole, with every field path logged; what it applied before stays.
 * - A removed file deletes the resources it owned (only those whose stored source is that file).
 * - A resource another source owns is left alone (conflict logged) and applied once that owner
 *   deletes it. See ingest/ownership.ts for the rules.
 * At start-up every file is applied and resources of files that disappeared meanwhile are removed,
 * before Galley reports ready. File events are handled one at a time.
 */
@Injectable()
export class DirectorySourceService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DirectorySourceService.name);
  /** source -> config keys it wrote. */
  private readonly owned = new Map<string, Set<string>>();
  /** source -> last valid content (to retry resources blocked by another owner). */
  private readonly declared = new Map<string, { file: string; resources: ValidResource[] }>();
  /** config key -> file source waiting for the current owner to let go. */
  private readonly blocked = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private releaseWatch: KvWatcher | undefined;
  /** Files whose sync failed (NATS or JetStream unavailable): retried with backoff. */
  private readonly failed = new Set<string>();
  private readonly retryTimer = new RetryTimer(() => {
    for (const file of [...this.failed]) this.enqueueFile(file);
  });
  private offReconnect: (() => void) | undefined;

  constructor(
    @Inject(GALLEY_CONFIG) private readonly config: GalleyConfig,
    private readonly store: ConfigStore,
    @Inject(CONFIG_KV) private readonly kv: KvStore,
    @Inject(RESOURCE_VALIDATOR) private readonly validator: ResourceValidator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const dir = this.config.configDir;
    if (!dir) return;
    await fs.mkdir(dir, { recursive: true });
    for (const e of await this.store.list()) {
      if (isFileSource(e.value.source)) this.ownedBy(e.value.source).add(e.key);
    }
    const seen = new Set<string>();
    const watcher = watch(dir, {
      ignoreInitial: false,
      awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
      ignored: (p, stats) => !!stats?.isFile() && !isConfigFile(p),
    });
    this.watcher = watcher;
    watcher.on('add', (file) => {
      if (!isConfigFile(file)) return;
      seen.add(fileSource(dir, file));
      this.enqueueFile(file);
    });
    watcher.on('change', (file) => isConfigFile(file) && this.enqueueFile(file));
    watcher.on('unlink', (file) => isConfigFile(file) && this.enqueueFile(file));
    this.offReconnect = this.kv.connection.onReconnect(() => {
      if (this.failed.size) this.retryTimer.schedule();
    });
    watcher.on('error', (err) => this.logger.error(`watching ${dir}: ${String(err)}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    // Files removed while Galley was down.
    for (const source of [...this.owned.keys()]) if (!seen.has(source)) this.enqueue(() => this.removeSource(source));
    await this.queue;
    this.releaseWatch = watchKv(this.kv, (e) => {
      if (e.type !== 'delete') return;
      const source = this.blocked.get(e.key);
      const file = source && this.declared.get(source)?.file;
      if (file) this.enqueueFile(file);
    });
    this.logger.log(`watching ${dir}`);
  }

  async onModuleDestroy(): Promise<void> {
    this.offReconnect?.();
    this.retryTimer.stop();
    await this.watcher?.close();
    await this.releaseWatch?.stop();
    await this.queue;
  }

  /** Resolves once every file event seen so far has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => this.logger.error(`config dir: ${(err as Error)?.stack ?? String(err)}`));
  }

  /**
   * Brings the store in line with the file as it is now (present: apply; gone: remove). A failure
   * to reach NATS keeps the file for a retry with backoff.
   */
  private enqueueFile(file: string): void {
    this.enqueue(async () => {
      try {
        await this.syncFile(file);
        this.failed.delete(file);
        if (!this.failed.size) this.retryTimer.reset();
      } catch (err) {
        this.failed.add(file);
        this.retryTimer.schedule();
        this.logger.error(`${fileSource(this.config.configDir as string, file)}: not synced, will retry: ${(err as Error)?.message ?? String(err)}`);
      }
    });
  }

  private async syncFile(file: string): Promise<void> {
    const dir = this.config.configDir as string;
    const source = fileSource(dir, file);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.removeSource(source);
      throw err;
    }
    const report = validateDocuments(text, 'default', this.validator);
    if (!report.ok) {
      const lines = describeRejection(report);
      this.logger.error(`${source} rejected (${lines.length} error(s)); its previous resources stay in force:\n  ${lines.join('\n  ')}`);
      return;
    }
    this.declared.set(source, { file: path.resolve(file), resources: report.valid });
    await this.apply(source, report.valid);
  }

  private async removeSource(source: string): Promise<void> {
    this.declared.delete(source);
    await this.apply(source, []);
  }

  private async apply(source: string, resources: ValidResource[]): Promise<void> {
    const owned = this.ownedBy(source);
    const changes: string[] = [];
    for (const res of resources) {
      const key = refKey(res.ref);
      const { plan } = await this.store.commit(res, source);
      if (plan.action === 'conflict') {
        if (this.blocked.get(key) !== source) this.logger.warn(`${source}: ${key} not applied: ${plan.error.message}`);
        this.blocked.set(key, source);
        owned.delete(key);
        continue;
      }
      if (this.blocked.get(key) === source) this.blocked.delete(key);
      owned.add(key);
      if (plan.action !== 'none') changes.push(`${key} ${plan.outcome}`);
      for (const w of res.warnings) this.logger.warn(`${source}: ${key}: ${w.path}: ${w.message}`);
    }
    for (const key of removedByFile(owned, resources)) {
      const ref = refFromKey(key);
      owned.delete(key);
      if (!ref) continue;
      const { plan } = await this.store.commitDelete(ref, source);
      if (plan.action === 'delete') changes.push(`${key} deleted`);
    }
    for (const [key, s] of this.blocked) if (s === source && !resources.some((r) => refKey(r.ref) === key)) this.blocked.delete(key);
    if (!owned.size) this.owned.delete(source);
    if (changes.length) this.logger.log(`${source}: ${changes.join(', ')}`);
  }

  private ownedBy(source: string): Set<string> {
    let s = this.owned.get(source);
    if (!s) this.owned.set(source, (s = new Set()));
    return s;
  }
}
