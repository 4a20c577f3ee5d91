import { type Msg, type MsgHdrs, type NatsConnection, type Subscription as NatsSubscription, ErrorCode } from 'nats';
import { decodeJson, encodeJson, natsErrorCode } from './codec';
import { BusError } from './errors';
import type { BusLogger } from './logger';
import type { FieldErrorLike, RequestContractLike } from './types';
import { errorBody, errorHeaders, readWireError, type WireError } from './wire-error';

export interface RequestOptions {
  /** Reply timeout (default 5000 ms). */
  timeoutMs?: number;
}

/** What a handler knows about the request besides its payload. */
export interface RequestContext {
  subject: string;
  headers: Readonly<Record<string, string>>;
}

export type RequestHandler<Req, Rep> = (req: Req, ctx: RequestContext) => Rep | Promise<Rep>;

export interface ServeOptions {
  /** Overrides the contract's queue group (rarely right: replicas would all answer). */
  queue?: string;
}

/** A live subscription; `drain()` finishes in-flight messages first. */
export interface BusSubscription {
  readonly subject: string;
  unsubscribe(): void;
  drain(): Promise<void>;
}

/**
 * Sends a validated request and validates the reply. Throws {@link BusError}: `invalid-request`
 * (locally or from the server, with field paths), `invalid-reply`, `timeout`, `no-responders`,
 * `remote` (the handler failed).
 */
export async function request<Req, Rep>(
  nc: NatsConnection,
  contract: RequestContractLike<Req, Rep>,
  payload: Req,
  opts: RequestOptions = {},
): Promise<Rep> {
  const parsed = contract.request(payload);
  if (!parsed.ok) throw new BusError('invalid-request', `invalid request for ${contract.subject}`, parsed.errors);
  const timeout = opts.timeoutMs ?? 5000;
  let msg: Msg;
  try {
    msg = await nc.request(contract.subject, encodeJson(parsed.value), { timeout });
  } catch (err) {
    throw translateRequestError(err, contract.subject, timeout);
  }
  const body = decodeJson(msg.data);
  const wireError = readWireError(msg.headers, body.ok ? body.value : undefined);
  if (wireError) {
    throw new BusError(wireError.code, `${contract.subject}: ${wireError.message}`, wireError.errors);
  }
  if (!body.ok) throw new BusError('invalid-reply', `${contract.subject}: ${body.message}`);
  const reply = contract.reply(body.value);
  if (!reply.ok) throw new BusError('invalid-reply', `invalid reply from ${contract.subject}`, reply.errors);
  return reply.value;
}

function translateRequestError(err: unknown, subject: string, timeout: number): BusError {
  const code = natsErrorCode(err);
  if (code === ErrorCode.NoResponders) return new BusError('no-responders', `no service answers ${subject}`, [], { cause: err });
  if (code === ErrorCode.Timeout) return new BusError('timeout', `${subject}: no reply within ${timeout} ms`, [], { cause: err });
  if (code === ErrorCode.ConnectionClosed || code === ErrorCode.ConnectionDraining) {
    return new BusError('closed', `${subject}: connection closed`, [], { cause: err });
  }
  return new BusError('remote', `${subject}: ${(err as Error).message}`, [], { cause: err });
}

/**
 * Serves a request subject in the contract's queue group. Requests are decoded and validated
 * before the handler runs; a bad request gets an error reply naming every field path. The
 * handler's reply is validated too (a mismatch is our bug: logged, and a `remote` error sent).
 * A handler may throw a {@link BusError} `invalid-request` to reject with its own field errors.
 */
export function serve<Req, Rep>(
  nc: NatsConnection,
  logger: BusLogger,
  contract: RequestContractLike<Req, Rep>,
  handler: RequestHandler<Req, Rep>,
  opts: ServeOptions = {},
): BusSubscription {
  const inflight = new InFlight();
  const sub = nc.subscribe(contract.subject, {
    queue: opts.queue ?? contract.queue,
    callback: (err, msg) => {
      if (err) {
        logger.error(`subscription ${contract.subject} failed`, { error: err.message });
        return;
      }
      inflight.track(handleRequest(logger, contract, handler, msg));
    },
  });
  return wrapSubscription(sub, contract.subject, inflight);
}

async function handleRequest<Req, Rep>(
  logger: BusLogger,
  contract: RequestContractLike<Req, Rep>,
  handler: RequestHandler<Req, Rep>,
  msg: Msg,
): Promise<void> {
  const fail = (e: WireError) => respond(logger, msg, errorBody(e), errorHeaders(e));
  const body = decodeJson(msg.data);
  if (!body.ok) return fail({ code: 'invalid-request', message: 'invalid request', errors: [{ path: '', message: body.message }] });
  const req = contract.request(body.value);
  if (!req.ok) {
    logger.debug(`rejected invalid request on ${contract.subject}`, { errors: req.errors });
    return fail({ code: 'invalid-request', message: 'invalid request', errors: req.errors });
  }
  let result: Rep;
  try {
    result = await handler(req.value, { subject: msg.subject, headers: headerRecord(msg.headers) });
  } catch (err) {
    if (err instanceof BusError && err.code === 'invalid-request') {
      return fail({ code: 'invalid-request', message: 'invalid request', errors: [...err.errors] });
    }
    logger.error(`handler for ${contract.subject} failed`, { error: (err as Error)?.stack ?? String(err) });
    return fail({ code: 'remote', message: `handler failed: ${(err as Error)?.message ?? String(err)}`, errors: [] });
  }
  const rep = contract.reply(result);
  if (!rep.ok) {
    logger.error(`handler for ${contract.subject} returned an invalid reply`, { errors: rep.errors });
    return fail({ code: 'remote', message: 'handler returned an invalid reply', errors: rep.errors as FieldErrorLike[] });
  }
  respond(logger, msg, rep.value);
}

function respond(logger: BusLogger, msg: Msg, body: unknown, headers?: MsgHdrs): void {
  if (!msg.reply) {
    logger.debug(`request on ${msg.subject} has no reply subject; dropping the reply`);
    return;
  }
  try {
    msg.respond(encodeJson(body), headers ? { headers } : undefined);
  } catch (err) {
    logger.warn(`could not reply on ${msg.subject}`, { error: (err as Error).message });
  }
}

export function headerRecord(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const k of h.keys()) out[k] = h.get(k);
  return out;
}

/** Handlers are async while nats.js callbacks are not: track them so a drain can wait. */
export class InFlight {
  private readonly pending = new Set<Promise<void>>();
  track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

/** Drain stops delivery, then waits for the handlers already running to finish (and reply). */
export function wrapSubscription(sub: NatsSubscription, subject: string, inflight: InFlight): BusSubscription {
  return {
    subject,
    unsubscribe: () => sub.unsubscribe(),
    drain: async () => {
      if (!sub.isClosed()) await sub.drain();
      await inflight.settle();
    },
  };
}
