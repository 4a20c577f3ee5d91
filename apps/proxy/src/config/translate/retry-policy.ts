import type * as xds from '@mizzen/xds-types';
import type { RetryOn, RetryPolicy } from '../model';
import { type Issues, at } from './issues';
import { durationMs } from './primitives';
import { SharedValues } from './shared-values';

const SUPPORTED: ReadonlySet<string> = new Set<RetryOn>([
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'unavailable',
  'cancelled',
  'deadline-exceeded',
  'resource-exhausted',
  'internal',
]);

/** Conditions Envoy knows that cannot happen over HTTP/1.1 here; accepted, never triggered. */
const INERT = new Set(['http3-post-connect-failure', 'reset-before-request', 'envoy-ratelimited']);

const PREVIOUS_HOSTS = 'envoy.retry_host_predicates.previous_hosts';
const PREVIOUS_PRIORITIES = 'envoy.retry_priorities.previous_priorities';

/** Fields of RetryPolicy that @mizzen/xds-types does not (yet) declare. */
type RetryPolicyBody = xds.RetryPolicy & { retryHostPredicate?: Array<{ name?: string }>; retryPriority?: { name?: string; typedConfig?: { updateFrequency?: number } } };

const isRetryOn = (s: string): s is RetryOn => SUPPORTED.has(s);

const shared = new SharedValues<RetryPolicy>();

/** {@link translateRetryPolicy}, one shared object per distinct policy (see SharedValues). */
export function retryPolicy(p: RetryPolicyBody, path: string, issues: Issues): RetryPolicy {
  return shared.get(p, issues, (own) => translateRetryPolicy(p, path, own));
}

/**
 * envoy.config.route.v3.RetryPolicy. Defaults as Envoy: num_retries 1, back-off 25 ms base and
 * 10x base max, host_selection_retry_max_attempts 1.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-retrypolicy
 */
function translateRetryPolicy(p: RetryPolicyBody, path: string, issues: Issues): RetryPolicy {
  const retryOn = new Set<RetryOn>();
  for (const raw of (p.retryOn ?? '').split(',')) {
    const cond = raw.trim();
    if (!cond || INERT.has(cond)) continue;
    if (isRetryOn(cond)) retryOn.add(cond);
    else issues.error(at(path, 'retryOn'), `unsupported retry condition "${cond}"`);
  }
  if (p.retriableHeaders?.length) issues.error(at(path, 'retriableHeaders'), 'retriable headers are not supported');
  const codes = new Set<number>();
  (p.retriableStatusCodes ?? []).forEach((c, i) => {
    if (c < 100 || c > 599) issues.error(at(at(path, 'retriableStatusCodes'), i), `invalid status code ${c}`);
    codes.add(c);
  });
  const base = durationMs(p.retryBackOff?.baseInterval, at(path, 'retryBackOff.baseInterval'), issues, 25);
  if (p.retryBackOff && base <= 0) issues.error(at(path, 'retryBackOff.baseInterval'), 'must be greater than zero');
  const max = durationMs(p.retryBackOff?.maxInterval, at(path, 'retryBackOff.maxInterval'), issues, base * 10);
  if (max < base) issues.error(at(path, 'retryBackOff.maxInterval'), 'must not be less than baseInterval');
  const predicates = p.retryHostPredicate ?? [];
  predicates.forEach((pr, i) => {
    if (pr.name !== PREVIOUS_HOSTS) issues.warn(at(at(path, 'retryHostPredicate'), i), `retry host predicate "${pr.name}" is ignored`);
  });
  const priority = p.retryPriority;
  let previousPrioritiesUpdateFrequency = 0;
  if (priority?.name === PREVIOUS_PRIORITIES) {
    const f = priority.typedConfig?.updateFrequency ?? 0;
    // Envoy requires update_frequency > 0.
    if (!Number.isInteger(f) || f < 1) issues.error(at(path, 'retryPriority.typedConfig.updateFrequency'), 'must be a positive integer');
    else previousPrioritiesUpdateFrequency = f;
  } else if (priority) issues.warn(at(path, 'retryPriority'), `retry priority "${priority.name}" is ignored`);
  return {
    retryOn,
    numRetries: p.numRetries?.value ?? 1,
    perTryTimeoutMs: durationMs(p.perTryTimeout, at(path, 'perTryTimeout'), issues, 0),
    retriableStatusCodes: codes,
    backoffBaseMs: base,
    backoffMaxMs: max,
    avoidPreviousHosts: predicates.some((pr) => pr.name === PREVIOUS_HOSTS),
    hostSelectionMaxAttempts: Math.max(1, p.hostSelectionRetryMaxAttempts ?? 1),
    previousPrioritiesUpdateFrequency,
  };
}
