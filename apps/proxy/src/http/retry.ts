import type { RetryOn, RetryPolicy } from '../config/model';
import type { Rng } from '../routing';

/** How one upstream attempt ended, as far as retries care. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; grpcStatus?: number }
  | { kind: 'connect-failure' }
  | { kind: 'reset' }
  | { kind: 'per-try-timeout' };

/** gRPC status codes behind the gRPC retry conditions (grpc-status response header). */
const GRPC_CODES: ReadonlyArray<[RetryOn, number]> = [
  ['cancelled', 1],
  ['deadline-exceeded', 4],
  ['resource-exhausted', 8],
  ['internal', 13],
  ['unavailable', 14],
];

function retriableStatus(p: RetryPolicy, status: number, grpcStatus: number | undefined): boolean {
  const on = p.retryOn;
  if (on.has('5xx') && status >= 500) return true;
  if (on.has('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
  if (on.has('retriable-4xx') && status === 409) return true;
  if (on.has('retriable-status-codes') && p.retriableStatusCodes.has(status)) return true;
  if (grpcStatus === undefined) return false;
  for (const [cond, code] of GRPC_CODES) if (grpcStatus === code && on.has(cond)) return true;
  return false;
}

/**
 * Whether Envoy's router would retry this outcome. Resets and per-try timeouts retry under `5xx`,
 * `gateway-error` and `reset`; connection failures also under `connect-failure`.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export function wouldRetry(p: RetryPolicy, o: AttemptOutcome): boolean {
  const on = p.retryOn;
  const onReset = on.has('5xx') || on.has('gateway-error') || on.has('reset');
  switch (o.kind) {
    case 'response':
      return retriableStatus(p, o.status, o.grpcStatus);
    case 'connect-failure':
      return onReset || on.has('connect-failure');
    case 'reset':
    case 'per-try-timeout':
      return onReset;
  }
}

/**
 * Fully jittered exponential back-off: uniform in [0, (2^n - 1) * base], capped at max.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
export function backoffMs(p: RetryPolicy, retryNumber: number, rng: Rng): number {
  const ceiling = Math.min(p.backoffMaxMs, (2 ** retryNumber - 1) * p.backoffBaseMs);
  return Math.floor(rng() * ceiling);
}
