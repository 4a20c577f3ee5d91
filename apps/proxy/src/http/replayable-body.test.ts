import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ReplayableBody } from './replayable-body';
import { type AttemptOutcome, backoffMs, wouldRetry } from './retry';
import type { RetryOn, RetryPolicy } from '../config/model';

async function read(r: Readable, max = Infinity): Promise<string> {
  let out = '';
  for await (const c of r) {
    out += String(c);
    if (out.length >= max) break;
  }
  return out;
}

describe('replayable request body', () => {
  it('replays what an aborted attempt consumed, then continues from the source', async () => {
    const body = new ReplayableBody(Readable.from([Buffer.from('ab'), Buffer.from('cd'), Buffer.from('ef')]), 1024);
    expect(await read(body.attempt(), 2)).toBe('ab');
    expect(body.replayable).toBe(true);
    expect(await read(body.attempt())).toBe('abcdef');
    expect(body.received).toBe(6);
    await body.ended;
  });

  it('stops being replayable past the buffer limit', async () => {
    const body = new ReplayableBody(Readable.from([Buffer.alloc(8), Buffer.alloc(8)]), 10);
    expect((await read(body.attempt())).length).toBe(16);
    expect(body.replayable).toBe(false);
    expect(() => body.attempt()).toThrow(/retry buffer/);
  });
});

const policy = (retryOn: RetryOn[], codes: number[] = []): RetryPolicy => ({
  retryOn: new Set(retryOn),
  numRetries: 2,
  perTryTimeoutMs: 0,
  retriableStatusCodes: new Set(codes),
  backoffBaseMs: 25,
  backoffMaxMs: 250,
  avoidPreviousHosts: false,
  hostSelectionMaxAttempts: 1,
  previousPrioritiesUpdateFrequency: 0,
});

describe('retry conditions (x-envoy-retry-on semantics)', () => {
  const istio = policy(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'], [503]);
  it.each<[string, RetryPolicy, AttemptOutcome, boolean]>([
    ['istio default: 503', istio, { kind: 'response', status: 503 }, true],
    ['istio default: 500 is not retried', istio, { kind: 'response', status: 500 }, false],
    ['istio default: connect failure', istio, { kind: 'connect-failure' }, true],
    ['istio default: reset is not retried', istio, { kind: 'reset' }, false],
    ['istio default: grpc unavailable', istio, { kind: 'response', status: 200, grpcStatus: 14 }, true],
    ['5xx: any 5xx', policy(['5xx']), { kind: 'response', status: 500 }, true],
    ['5xx: resets', policy(['5xx']), { kind: 'reset' }, true],
    ['5xx: per-try timeout', policy(['5xx']), { kind: 'per-try-timeout' }, true],
    ['gateway-error: 502', policy(['gateway-error']), { kind: 'response', status: 502 }, true],
    ['gateway-error: 500 is not', policy(['gateway-error']), { kind: 'response', status: 500 }, false],
    ['retriable-4xx: 409', policy(['retriable-4xx']), { kind: 'response', status: 409 }, true],
    ['reset: connect failure', policy(['reset']), { kind: 'connect-failure' }, true],
    ['nothing on 200', policy(['5xx']), { kind: 'response', status: 200 }, false],
  ])('%s', (_name, p, outcome, want) => {
    expect(wouldRetry(p, outcome)).toBe(want);
  });

  it('backs off with full jitter up to the cap', () => {
    const p = policy(['5xx']);
    expect(backoffMs(p, 1, () => 0.999)).toBe(24);
    expect(backoffMs(p, 3, () => 0.999)).toBe(174);
    expect(backoffMs(p, 10, () => 0.999)).toBe(249);
    expect(backoffMs(p, 10, () => 0)).toBe(0);
  });
});
