/**
 * Structural shapes of the contracts the bus carries. `@mizzen/bus` is framework-free and imports
 * no other Mizzen library: `@mizzen/contracts` values (RequestContract, EventContract) satisfy these
 * interfaces by shape.
 */

/** A validation problem at a field path such as `spec.hosts[0]`. */
export interface FieldErrorLike {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrorLike[] };

/** Parses an untrusted value into a validated one, collecting every error with its path. */
export type Parser<T> = (input: unknown) => ParseResult<T>;

/** A request-reply subject: subject, queue group, and validators for both directions. */
export interface RequestContractLike<Req, Rep> {
  subject: string;
  /** Queue group: only one replica of the serving component answers each request. */
  queue: string;
  request: Parser<Req>;
  reply: Parser<Rep>;
}

/** A fire-and-forget event subject. */
export interface EventContractLike<E> {
  subject: string;
  event: Parser<E>;
}

export type RequestOf<C> = C extends RequestContractLike<infer Req, unknown> ? Req : never;
export type ReplyOf<C> = C extends RequestContractLike<unknown, infer Rep> ? Rep : never;
export type EventOf<C> = C extends EventContractLike<infer E> ? E : never;
