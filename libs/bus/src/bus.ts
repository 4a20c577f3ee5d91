import { type JetStreamClient, type NatsConnection, connect } from 'nats';
import { BusError } from './errors';
import { publish, subscribe, type EventHandler, type SubscribeOptions } from './events';
import { type KvStore, type ReconnectSource } from './kv/kv-store';
import { type OpenKvOptions, openKv } from './kv/open-kv';
import { type BusLogger, silentLogger } from './logger';
import { type BusSubscription, type RequestHandler, type RequestOptions, type ServeOptions, request, serve } from './request-reply';
import type { EventContractLike, RequestContractLike } from './types';

export interface BusOptions {
  /** One URL or several, comma separated (`nats://127.0.0.1:4222`). */
  url: string;
  /** Connection name shown by the server (`galley`, `pilot-1`). */
  name?: string;
  logger?: BusLogger;
  /** Delay between reconnect attempts (default 500 ms, plus jitter). */
  reconnectTimeWaitMs?: number;
  /** Wait for the server at start-up instead of failing (default true). */
  waitOnFirstConnect?: boolean;
}

/**
 * The control plane's messaging: typed request-reply, events and KV over one NATS connection
 * that reconnects forever. Framework-free; `@mizzen/bus-nest` adapts it to Nest.
 */
export class Bus implements ReconnectSource {
  private readonly subs = new Set<BusSubscription>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly js: JetStreamClient;
  private closing: Promise<void> | undefined;

  private constructor(
    /** The underlying nats.js connection, for what the bus does not wrap. */
    readonly nc: NatsConnection,
    readonly logger: BusLogger,
  ) {
    this.js = nc.jetstream();
    void this.watchStatus();
  }

  static async connect(opts: BusOptions): Promise<Bus> {
    const logger = opts.logger ?? silentLogger;
    const nc = await connect({
      servers: opts.url.split(',').map((s) => s.trim()),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: opts.reconnectTimeWaitMs ?? 500,
      waitOnFirstConnect: opts.waitOnFirstConnect ?? true,
    });
    logger.info(`connected to NATS ${nc.getServer()}`);
    return new Bus(nc, logger);
  }

  /** Sends a validated request and returns the validated reply; see {@link request}. */
  request<Req, Rep>(contract: RequestContractLike<Req, Rep>, payload: Req, opts?: RequestOptions): Promise<Rep> {
    this.assertOpen();
    return request(this.nc, contract, payload, opts);
  }

  /** Serves a request subject in the contract's queue group; see {@link serve}. */
  serve<Req, Rep>(contract: RequestContractLike<Req, Rep>, handler: RequestHandler<Req, Rep>, opts?: ServeOptions): BusSubscription {
    this.assertOpen();
    return this.track(serve(this.nc, this.logger, contract, handler, opts));
  }

  publish<E>(contract: EventContractLike<E>, event: E): void {
    this.assertOpen();
    publish(this.nc, contract, event);
  }

  subscribe<E>(contract: EventContractLike<E>, handler: EventHandler<E>, opts?: SubscribeOptions): BusSubscription {
    this.assertOpen();
    return this.track(subscribe(this.nc, this.logger, contract, handler, opts));
  }

  /** Binds to (creating if missing) a KV bucket, retrying while JetStream is not ready. */
  openKv(name: string, opts?: OpenKvOptions): Promise<KvStore> {
    this.assertOpen();
    return openKv(this.js, this, this.logger, name, opts);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  get closed(): boolean {
    return this.closing !== undefined || this.nc.isClosed();
  }

  /**
   * Graceful close: drains every subscription (in-flight handlers finish and reply), then the
   * connection (pending publishes are flushed). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.reconnectListeners.clear();
      if (this.nc.isClosed()) return;
      await Promise.allSettled([...this.subs].map((s) => s.drain()));
      try {
        await this.nc.drain();
      } catch (err) {
        this.logger.debug(`drain: ${(err as Error).message}`);
        await this.nc.close();
      }
    })();
    return this.closing;
  }

  private track(sub: BusSubscription): BusSubscription {
    this.subs.add(sub);
    return {
      subject: sub.subject,
      unsubscribe: () => {
        this.subs.delete(sub);
        sub.unsubscribe();
      },
      drain: async () => {
        this.subs.delete(sub);
        await sub.drain();
      },
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('closed', 'bus is closed');
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.logger.warn(`disconnected from NATS ${String(s.data)}`);
      else if (s.type === 'reconnect') {
        this.logger.info(`reconnected to NATS ${String(s.data)}`);
        for (const l of [...this.reconnectListeners]) l();
      } else if (s.type === 'error') this.logger.warn(`NATS error: ${String(s.data)}`);
    }
  }
}
