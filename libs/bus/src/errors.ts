import type { FieldErrorLike } from './types';

export type BusErrorCode =
  /** The request failed validation (locally before sending, or by the server). */
  | 'invalid-request'
  /** The reply did not match the contract. */
  | 'invalid-reply'
  /** An event failed validation before publishing. */
  | 'invalid-event'
  /** No reply within the timeout. */
  | 'timeout'
  /** Nobody serves the subject. */
  | 'no-responders'
  /** The handler failed on the serving side. */
  | 'remote'
  /** KV compare-and-set failed: the key is not at the expected revision. */
  | 'kv-conflict'
  /** The bus is closed. */
  | 'closed'
  /** JetStream or another dependency did not become ready in time. */
  | 'not-ready';

/** Every failure the bus reports, with field paths for validation errors. */
export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
    readonly errors: readonly FieldErrorLike[] = [],
    options?: { cause?: unknown },
  ) {
    super(errors.length ? `${message}: ${formatFieldErrors(errors)}` : message, options);
    this.name = 'BusError';
  }
}

export function formatFieldErrors(errors: readonly FieldErrorLike[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}

export function isBusError(err: unknown, code?: BusErrorCode): err is BusError {
  return err instanceof BusError && (code === undefined || err.code === code);
}
