import type { Bus, BusSubscription } from '@mizzen/bus';
import type { MessageHandler } from '@nestjs/microservices';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BusContext } from './bus.context';
import type { ContractRegistry } from './contract-registry';
import { toBusError } from './handler-error';

export interface BusServerOptions {
  bus: Bus;
  /** Every subject a handler is bound to must be here. */
  contracts: ContractRegistry;
}

/** Identifies this transport in Nest (`@MessagePattern(subject, BUS_TRANSPORT)` if ever mixed). */
export const BUS_TRANSPORT = Symbol('mizzen-bus');

/**
 * A Nest transport on `@mizzen/bus`. Unlike Nest's NATS transport it speaks raw JSON
 * request-reply (no `{pattern, data, id}` envelope), so meshctl or any NATS client can call it;
 * it subscribes in the contract's queue group, so only one replica answers; and the bus
 * validates each payload with the contract (looked up by subject) before the handler runs.
 * `@MessagePattern(subject)` binds a request contract, `@EventPattern(subject)` an event one.
 */
/** Events of the transport (`app.on(...)`/`server.on(...)`). */
export type BusServerEvents = { reconnect: () => void };

export class BusServer extends Server<BusServerEvents> implements CustomTransportStrategy {
  override readonly transportId = BUS_TRANSPORT;
  private readonly subscriptions: BusSubscription[] = [];

  constructor(private readonly options: BusServerOptions) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    try {
      for (const [pattern, handler] of this.messageHandlers) this.bind(pattern, handler);
    } catch (err) {
      callback(err);
      return;
    }
    // Make sure the server knows the subscriptions before anyone is told we are ready.
    this.options.bus.nc.flush().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  /** Drains the subscriptions (in-flight handlers finish and reply). The bus owner closes the bus. */
  async close(): Promise<void> {
    const subs = this.subscriptions.splice(0);
    await Promise.allSettled(subs.map((s) => s.drain()));
  }

  on<K extends keyof BusServerEvents = keyof BusServerEvents, C extends BusServerEvents[K] = BusServerEvents[K]>(event: K, callback: C): void {
    if (event === 'reconnect') this.options.bus.onReconnect(callback);
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }

  private bind(pattern: string, handler: MessageHandler): void {
    const { bus, contracts } = this.options;
    if (handler.isEventHandler) {
      const contract = contracts.event(pattern);
      this.subscriptions.push(
        bus.subscribe(contract, async (event, ctx) => {
          await this.invoke(handler, event, new BusContext([ctx.subject, ctx.headers]));
        }),
      );
      this.logger.log(`event ${pattern}`);
      return;
    }
    const contract = contracts.request(pattern);
    this.subscriptions.push(bus.serve(contract, (req, ctx) => this.invoke(handler, req, new BusContext([ctx.subject, ctx.headers]))));
    this.logger.log(`request ${pattern} (queue ${contract.queue})`);
  }

  private async invoke(handler: MessageHandler, data: unknown, ctx: BusContext): Promise<unknown> {
    try {
      return await lastValueFrom(this.transformToObservable(await handler(data, ctx)), { defaultValue: undefined });
    } catch (err) {
      throw toBusError(err);
    }
  }
}
