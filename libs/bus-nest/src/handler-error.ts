import { BusError } from '@mizzen/bus';
import type { FieldError } from '@mizzen/mesh-model';

/**
 * Nest's exception layer turns a thrown `RpcException` (or any error) into a plain object
 * (`{status: 'error', message}` or the exception's payload) emitted as the observable's error.
 * This turns it back into something the bus can answer with: an object carrying
 * `code: 'invalid-request'` and `errors` becomes a field-path rejection; the rest a handler failure.
 */
export function toBusError(err: unknown): Error {
  if (err instanceof Error) return err;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : 'handler failed';
  if (e?.code === 'invalid-request') {
    const errors = Array.isArray(e.errors) ? (e.errors as FieldError[]) : [];
    return new BusError('invalid-request', message, errors);
  }
  return new Error(message);
}
