import { type MsgHdrs, headers } from 'nats';
import type { FieldErrorLike } from './types';

/**
 * Error replies follow the NATS micro-service convention: the `Nats-Service-Error` and
 * `Nats-Service-Error-Code` headers mark the reply as an error (so a reply body that happens to
 * have an `error` field is never mistaken for one), and the JSON body carries the details:
 * `{"error":{"code":"invalid-request","message":"...","errors":[{"path":"...","message":"..."}]}}`.
 * https://github.com/nats-io/nats-architecture-and-design/blob/main/adr/ADR-32.md
 */
export const ERROR_HEADER = 'Nats-Service-Error';
export const ERROR_CODE_HEADER = 'Nats-Service-Error-Code';

export type WireErrorCode = 'invalid-request' | 'remote';

export interface WireError {
  code: WireErrorCode;
  message: string;
  errors: FieldErrorLike[];
}

const statusOf: Record<WireErrorCode, number> = { 'invalid-request': 400, remote: 500 };

export function errorHeaders(e: WireError): MsgHdrs {
  const h = headers();
  h.set(ERROR_HEADER, e.message.replace(/[\r\n]+/g, ' '));
  h.set(ERROR_CODE_HEADER, String(statusOf[e.code]));
  return h;
}

export function errorBody(e: WireError): { error: WireError } {
  return { error: e };
}

/** Reads an error reply; undefined if the message is not one. */
export function readWireError(h: MsgHdrs | undefined, body: unknown): WireError | undefined {
  const message = h?.get(ERROR_HEADER);
  if (!h || !message) return undefined;
  const status = Number(h.get(ERROR_CODE_HEADER));
  const detail = (body as { error?: Partial<WireError> } | undefined)?.error;
  const errors = Array.isArray(detail?.errors) ? detail.errors.filter(isFieldError) : [];
  return { code: status >= 400 && status < 500 ? 'invalid-request' : 'remote', message: detail?.message ?? message, errors };
}

function isFieldError(x: unknown): x is FieldErrorLike {
  const e = x as FieldErrorLike | null;
  return !!e && typeof e.path === 'string' && typeof e.message === 'string';
}
