import type { JetStreamClient } from 'nats';
import { BusError } from '../errors';
import type { BusLogger } from '../logger';
import { retry } from '../retry';
import { KvStore, type ReconnectSource } from './kv-store';

export interface OpenKvOptions {
  /** Revisions kept per key (1-64) when the bucket is created. */
  history?: number;
  /** Replicas when the bucket is created (1, 3 or 5; default 1). */
  replicas?: number;
  /** How long to keep retrying while JetStream is not ready (default 30000 ms). */
  readyTimeoutMs?: number;
}

/**
 * Binds to a KV bucket, creating it if missing. JetStream answers time out (or 503) until a
 * leader is elected, and a replicated bucket fails with "no suitable peers" until every node
 * joined, so this retries with backoff until `readyTimeoutMs` (see STACK.md, NATS).
 */
export async function openKv(
  js: JetStreamClient,
  connection: ReconnectSource,
  logger: BusLogger,
  name: string,
  opts: OpenKvOptions = {},
): Promise<KvStore> {
  const timeoutMs = opts.readyTimeoutMs ?? 30_000;
  try {
    const raw = await retry(
      () => js.views.kv(name, { history: opts.history ?? 1, replicas: opts.replicas ?? 1 }),
      {
        timeoutMs,
        onRetry: (err, attempt) => logger.info(`KV ${name} not ready yet (attempt ${attempt}): ${(err as Error).message}`),
      },
    );
    return new KvStore(name, raw, js, connection, logger);
  } catch (err) {
    throw new BusError('not-ready', `KV bucket ${name} not available after ${timeoutMs} ms: ${(err as Error).message}`, [], { cause: err });
  }
}
