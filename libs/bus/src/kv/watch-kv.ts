import type { KvEntry, QueuedIterator } from 'nats';
import { decodeJson } from '../codec';
import { sleep } from '../retry';
import type { KvStore } from './kv-store';

export type KvWatchEvent =
  /** A key's current value; `initial` while replaying the state that existed when the watch began. */
  | { type: 'put'; key: string; value: unknown; revision: number; created: Date; initial: boolean }
  /** A live key was deleted or purged (only reported for keys this watcher reported as put). */
  | { type: 'delete'; key: string; revision: number; operation: 'DEL' | 'PURGE'; initial: boolean }
  /** Emitted once: every key that existed at the start has been reported. */
  | { type: 'synced' };

export type KvWatchHandler = (event: KvWatchEvent) => void | Promise<void>;

export interface KvWatchOptions {
  /** NATS-style key filter (default `>`, every key). */
  key?: string;
}

export interface KvWatcher {
  /** Resolves after the `synced` event has been handled. */
  readonly synced: Promise<void>;
  /**
   * Stops watching and waits for the handler to finish the event in progress. Do not await it
   * from inside the handler (it would wait for itself).
   */
  stop(): Promise<void>;
}

/**
 * Watches a bucket: first the current value of every key, then `synced`, then live puts and
 * deletes. Events are delivered one at a time, in revision order; the handler is awaited.
 *
 * Survives reconnects and server restarts: on every reconnect (and after any watch failure,
 * with backoff) it starts a fresh last-value watch and reconciles it with what it already
 * reported, so the handler sees only real changes: puts whose revision moved, and deletes for
 * keys deleted or purged while the connection was down.
 */
export function watchKv(kv: KvStore, onEvent: KvWatchHandler, opts: KvWatchOptions = {}): KvWatcher {
  return new KvWatch(kv, onEvent, opts);
}

class KvWatch implements KvWatcher {
  readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  /** Keys reported live to the handler -> revision reported. */
  private readonly known = new Map<string, number>();
  private everSynced = false;
  private stopped = false;
  private current: QueuedIterator<KvEntry> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly loop: Promise<void>;
  private readonly offReconnect: () => void;

  constructor(
    private readonly kv: KvStore,
    private readonly onEvent: KvWatchHandler,
    private readonly opts: KvWatchOptions,
  ) {
    this.synced = new Promise((r) => (this.resolveSynced = r));
    this.offReconnect = kv.connection.onReconnect(() => {
      kv.logger.info(`KV ${kv.name}: reconnected, restarting watch`);
      this.current?.stop();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.offReconnect();
    this.current?.stop();
    await this.loop;
    await this.chain;
  }

  private async run(): Promise<void> {
    let delay = 100;
    while (!this.stopped) {
      let reachedSync = false;
      try {
        reachedSync = await this.session();
      } catch (err) {
        if (!this.stopped) this.kv.logger.warn(`KV ${this.kv.name}: watch failed, retrying in ${delay} ms: ${(err as Error).message}`);
      }
      if (this.stopped) break;
      if (reachedSync) {
        delay = 100;
        await sleep(20);
      } else {
        await sleep(delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  /** One nats.js watch, from start until its iterator ends. Returns whether it got past the initial state. */
  private async session(): Promise<boolean> {
    const seen = new Set<string>();
    const state = { syncing: true };
    let loopStarted = false;
    let initializedEarly = false;
    const finishSync = () => this.finishSync(state, seen);
    const iter = await this.kv.raw.watch({
      key: this.opts.key,
      // nats.js calls this either in order from the iterator (after the initial entries) or, when
      // everything was already queued while subscribing, directly before watch() returns.
      initializedFn: () => {
        if (loopStarted) void this.enqueue(finishSync);
        else initializedEarly = true;
      },
    });
    this.current = iter;
    if (this.stopped) {
      iter.stop();
      return false;
    }
    loopStarted = true;
    let syncAfter: number | undefined;
    if (initializedEarly) {
      syncAfter = iter.getReceived();
      if (syncAfter === 0) await this.enqueue(finishSync);
    }
    let consumed = 0;
    for await (const e of iter) {
      await this.enqueue(() => this.apply(e, state.syncing, seen));
      consumed++;
      if (consumed === syncAfter) await this.enqueue(finishSync);
    }
    return !state.syncing;
  }

  private async finishSync(state: { syncing: boolean }, seen: Set<string>): Promise<void> {
    if (!state.syncing) return;
    state.syncing = false;
    // Keys reported before that left no trace at all (purged or the stream was reset while away).
    for (const [key, revision] of [...this.known]) {
      if (seen.has(key)) continue;
      this.known.delete(key);
      await this.emit({ type: 'delete', key, revision, operation: 'PURGE', initial: !this.everSynced });
    }
    if (!this.everSynced) {
      this.everSynced = true;
      await this.emit({ type: 'synced' });
      this.resolveSynced();
    }
  }

  private async apply(e: KvEntry, syncing: boolean, seen: Set<string>): Promise<void> {
    if (syncing) seen.add(e.key);
    const knownRevision = this.known.get(e.key);
    const initial = !this.everSynced;
    if (e.operation === 'PUT') {
      if (knownRevision === e.revision) return; // already reported (replayed after a reconnect)
      const d = decodeJson(e.value);
      if (!d.ok) {
        this.kv.logger.warn(`KV ${this.kv.name}/${e.key}@${e.revision}: ${d.message}; ignored`);
        return;
      }
      this.known.set(e.key, e.revision);
      await this.emit({ type: 'put', key: e.key, value: d.value, revision: e.revision, created: e.created, initial });
      return;
    }
    if (knownRevision === undefined) return; // a delete marker for a key never reported live
    this.known.delete(e.key);
    await this.emit({ type: 'delete', key: e.key, revision: e.revision, operation: e.operation, initial });
  }

  private async emit(event: KvWatchEvent): Promise<void> {
    try {
      await this.onEvent(event);
    } catch (err) {
      this.kv.logger.error(`KV ${this.kv.name}: watch handler failed on ${event.type}`, { error: (err as Error)?.stack ?? String(err) });
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const p = this.chain.then(task);
    this.chain = p.catch(() => undefined);
    return p;
  }
}
