import type { EventContractLike, Parser, RequestContractLike } from '../types';

/**
 * Hand-written contracts for the bus's own tests (the bus imports no contracts library).
 * Not exported from the package index.
 */
export interface Echo {
  text: string;
  times?: number;
}

export const parseEcho: Parser<Required<Echo>> = (input) => {
  const x = input as Partial<Echo> | null;
  const errors = [];
  if (!x || typeof x !== 'object') return { ok: false, errors: [{ path: '', message: 'must be an object' }] };
  if (typeof x.text !== 'string') errors.push({ path: 'text', message: 'must be a string' });
  if (x.times !== undefined && (typeof x.times !== 'number' || x.times < 1)) errors.push({ path: 'times', message: 'must be a positive number' });
  return errors.length ? { ok: false, errors } : { ok: true, value: { text: x.text as string, times: x.times ?? 1 } };
};

export const parseEchoReply: Parser<{ echoed: string; error?: string }> = (input) => {
  const x = input as { echoed?: unknown; error?: unknown } | null;
  if (!x || typeof x.echoed !== 'string') return { ok: false, errors: [{ path: 'echoed', message: 'must be a string' }] };
  return { ok: true, value: { echoed: x.echoed, ...(typeof x.error === 'string' ? { error: x.error } : {}) } };
};

export const EchoContract: RequestContractLike<Echo, { echoed: string; error?: string }> = {
  subject: 'test.echo.v1',
  queue: 'echo',
  request: parseEcho,
  reply: parseEchoReply,
};

export const PingEvent: EventContractLike<{ n: number }> = {
  subject: 'test.ping.v1',
  event: (input) => {
    const x = input as { n?: unknown } | null;
    return x && typeof x.n === 'number' ? { ok: true, value: { n: x.n } } : { ok: false, errors: [{ path: 'n', message: 'must be a number' }] };
  },
};
