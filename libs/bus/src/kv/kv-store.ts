import { type JetStreamClient, type KV, type KvEntry, headers } from 'nats';
import { decodeJson, encodeJson, natsErrorCode } from '../codec';
import { BusError } from '../errors';
import type { BusLogger } from '../logger';
import { retry } from '../retry';
import { watchKv } from './watch-kv';

/** A live key's value as stored (JSON-decoded; validate it with the bucket's parser). */
export interface KvValue {
  key: string;
  value: unknown;
  revision: number;
  created: Date;
}

/** Lets watchers restart on reconnect without depending on the Bus class. */
export interface ReconnectSource {
  onReconnect(listener: () => void): () => void;
}

/** JetStream's "wrong last sequence" API error: the compare-and-set expectation failed. */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * A JetStream KV bucket with JSON values. Every write returns the new revision (the stream
 * sequence); `update` and `delete` with `expectedRevision` are compare-and-set and throw
 * {@link BusError} `kv-conflict` when the key moved on.
 */
export class KvStore {
  constructor(
    readonly name: string,
    /** The underlying nats.js KV, for anything not wrapped here. */
    readonly raw: KV,
    private readonly js: JetStreamClient,
    readonly connection: ReconnectSource,
    readonly logger: BusLogger,
  ) {}

  /** The live value, or undefined when the key is absent or deleted. */
  async get(key: string): Promise<KvValue | undefined> {
    const e = await this.raw.get(key);
    if (!e || e.operation !== 'PUT') return undefined;
    return toValue(e, this.logger);
  }

  /** Writes unconditionally. */
  put(key: string, value: unknown): Promise<number> {
    return this.write(key, () => this.raw.put(key, encodeJson(value)));
  }

  /** Writes only if the key does not exist (or is deleted); `kv-conflict` otherwise. */
  create(key: string, value: unknown): Promise<number> {
    return this.write(key, () => this.raw.create(key, encodeJson(value)));
  }

  /** Compare-and-set: writes only if the key is at `expectedRevision`. */
  update(key: string, value: unknown, expectedRevision: number): Promise<number> {
    return this.write(key, () => this.raw.update(key, encodeJson(value), expectedRevision));
  }

  /**
   * Soft-deletes (a `DEL` marker watchers see) and returns the marker's revision. With
   * `expectedRevision` it is compare-and-set. With `purge` earlier history is dropped too.
   */
  delete(key: string, opts: { expectedRevision?: number; purge?: boolean } = {}): Promise<number> {
    return this.write(key, async () => {
      const h = headers();
      h.set('KV-Operation', opts.purge ? 'PURGE' : 'DEL');
      if (opts.purge) h.set('Nats-Rollup', 'sub');
      if (opts.expectedRevision !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(opts.expectedRevision));
      const ack = await this.js.publish(`$KV.${this.name}.${key}`, undefined, { headers: h });
      return ack.seq;
    });
  }

  /** Live keys (optionally matching a NATS-style filter). */
  async keys(filter?: string): Promise<string[]> {
    const out: string[] = [];
    for await (const k of await this.raw.keys(filter)) out.push(k);
    return out.sort();
  }

  /** A snapshot of every live key and value, sorted by key (one last-value-per-key pass). */
  async entries(): Promise<KvValue[]> {
    const live = new Map<string, KvValue>();
    const watcher = watchKv(this, (e) => {
      if (e.type === 'put') live.set(e.key, { key: e.key, value: e.value, revision: e.revision, created: e.created });
      else if (e.type === 'delete') live.delete(e.key);
    });
    await watcher.synced;
    await watcher.stop();
    return [...live.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  private async write(key: string, op: () => Promise<number>): Promise<number> {
    validateKey(key);
    try {
      // A first write after start-up can answer 503 while JetStream elects a leader: retry those only.
      return await retry(op, { timeoutMs: 5000, retryable: isNoResponders });
    } catch (err) {
      if (isWrongLastSequence(err)) {
        throw new BusError('kv-conflict', `${this.name}/${key}: revision changed (compare-and-set failed)`, [], { cause: err });
      }
      throw err;
    }
  }
}

const KEY_RE = /^[-/=.\w]+$/;

/** Keys are NATS subject tokens: letters, digits, `-/_=.`, no leading/trailing dot. */
export function isValidKvKey(key: string): boolean {
  return KEY_RE.test(key) && !key.startsWith('.') && !key.endsWith('.') && !key.includes('..');
}

function validateKey(key: string): void {
  if (!isValidKvKey(key)) throw new BusError('invalid-request', `invalid KV key "${key}"`, [{ path: 'key', message: 'letters, digits and -/_=. only' }]);
}

function toValue(e: KvEntry, logger: BusLogger): KvValue | undefined {
  const d = decodeJson(e.value);
  if (!d.ok) {
    logger.warn(`KV ${e.bucket}/${e.key}@${e.revision}: ${d.message}`);
    return undefined;
  }
  return { key: e.key, value: d.value, revision: e.revision, created: e.created };
}

function isWrongLastSequence(err: unknown): boolean {
  const e = err as { api_error?: { err_code?: number }; message?: string } | null;
  return e?.api_error?.err_code === WRONG_LAST_SEQUENCE || /wrong last sequence/i.test(e?.message ?? '');
}

function isNoResponders(err: unknown): boolean {
  return natsErrorCode(err) === '503' && !isWrongLastSequence(err);
}
