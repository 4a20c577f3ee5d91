import type { NatsConnection } from 'nats';
import { decodeJson, encodeJson } from './codec';
import { BusError } from './errors';
import type { BusLogger } from './logger';
import { type BusSubscription, InFlight, type RequestContext, headerRecord, wrapSubscription } from './request-reply';
import type { EventContractLike } from './types';

export type EventHandler<E> = (event: E, ctx: RequestContext) => void | Promise<void>;

export interface SubscribeOptions {
  /** Queue group: one member of the group receives each event. Default: every subscriber does. */
  queue?: string;
}

/** Validates and publishes an event. Throws {@link BusError} `invalid-event` with field paths. */
export function publish<E>(nc: NatsConnection, contract: EventContractLike<E>, event: E): void {
  const parsed = contract.event(event);
  if (!parsed.ok) throw new BusError('invalid-event', `invalid event for ${contract.subject}`, parsed.errors);
  nc.publish(contract.subject, encodeJson(parsed.value));
}

/**
 * Subscribes to an event subject. Invalid events are logged with their field paths and dropped;
 * handler failures are logged. Events are fire-and-forget: state late joiners need is in KV.
 */
export function subscribe<E>(
  nc: NatsConnection,
  logger: BusLogger,
  contract: EventContractLike<E>,
  handler: EventHandler<E>,
  opts: SubscribeOptions = {},
): BusSubscription {
  const inflight = new InFlight();
  const sub = nc.subscribe(contract.subject, {
    queue: opts.queue,
    callback: (err, msg) => {
      if (err) {
        logger.error(`subscription ${contract.subject} failed`, { error: err.message });
        return;
      }
      const body = decodeJson(msg.data);
      const parsed = body.ok ? contract.event(body.value) : ({ ok: false, errors: [{ path: '', message: body.message }] } as const);
      if (!parsed.ok) {
        logger.warn(`dropped invalid event on ${contract.subject}`, { errors: parsed.errors });
        return;
      }
      inflight.track(
        (async () => {
        try {
          await handler(parsed.value, { subject: msg.subject, headers: headerRecord(msg.headers) });
        } catch (e) {
          logger.error(`event handler for ${contract.subject} failed`, { error: (e as Error)?.stack ?? String(e) });
        }
        })(),
      );
    },
  });
  return wrapSubscription(sub, contract.subject, inflight);
}
