import type { HTTPRetry, HTTPRoute } from '@mizzen/config-api';
import type { RetryPolicy, RouteAction } from '@mizzen/xds-types';
import { destinationCluster, type RouteContext } from './destination';
import { toDuration, ZERO_DURATION } from './durations';
import { toHeaderOps } from './headers';
import { hashPolicyFor } from './hash-policy';

/**
 * Istio's default retry policy for HTTP routes: 2 retries on connection-level failures and 503.
 * https://istio.io/latest/docs/concepts/traffic-management/#retries
 */
export function defaultRetryPolicy(attempts: number): RetryPolicy | undefined {
  if (attempts <= 0) return undefined;
  return {
    retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
    numRetries: { value: attempts },
    retriableStatusCodes: [503],
    retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' } }],
    hostSelectionRetryMaxAttempts: 5,
  };
}

/** VirtualService `retries` -> Envoy RetryPolicy; `attempts: 0` disables retries. */
export function toRetryPolicy(r: HTTPRetry | undefined, defaultAttempts: number): RetryPolicy | undefined {
  if (!r) return defaultRetryPolicy(defaultAttempts);
  if (!r.attempts) return undefined;
  const base = defaultRetryPolicy(r.attempts) as RetryPolicy;
  const policy: RetryPolicy = { ...base, numRetries: { value: r.attempts } };
  if (r.perTryTimeout) policy.perTryTimeout = toDuration(r.perTryTimeout);
  if (r.backoff) policy.retryBackOff = { baseInterval: toDuration(r.backoff) ?? { seconds: 0, nanos: 25_000_000 } };
  // Istio: retryRemoteLocalities -> Envoy's previous_priorities retry priority (update frequency 2),
  // so retries move to localities (priorities) not tried yet.
  if (r.retryRemoteLocalities) {
    policy.retryPriority = {
      name: 'envoy.retry_priorities.previous_priorities',
      typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig', updateFrequency: 2 },
    };
  }
  if (r.retryIgnorePreviousHosts === false) {
    delete policy.retryHostPredicate;
    delete policy.hostSelectionRetryMaxAttempts;
  }
  if (r.retryOn) {
    const codes: number[] = [];
    const names: string[] = [];
    for (const part of r.retryOn.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (/^\d{3}$/.test(part)) codes.push(Number(part));
      else names.push(part);
    }
    if (codes.length && !names.includes('retriable-status-codes')) names.push('retriable-status-codes');
    policy.retryOn = names.join(',');
    policy.retriableStatusCodes = codes.length ? codes : undefined;
    if (!policy.retriableStatusCodes) delete policy.retriableStatusCodes;
  }
  return policy;
}

/** The forwarding action of a route with `route:` destinations (one cluster or weighted clusters). */
export function toRouteAction(r: HTTPRoute, ctx: RouteContext): RouteAction {
  const dests = r.route ?? [];
  const action: RouteAction = {};
  if (dests.length === 1) {
    action.cluster = destinationCluster(dests[0].destination, ctx);
  } else {
    const total = dests.reduce((s, d) => s + (d.weight ?? 0), 0);
    action.weightedClusters = {
      clusters: dests
        .filter((d) => total === 0 || (d.weight ?? 0) > 0)
        .map((d) => ({
          name: destinationCluster(d.destination, ctx),
          weight: { value: total === 0 ? 1 : (d.weight ?? 0) },
          ...toHeaderOps(d.headers),
        })),
    };
  }
  action.timeout = toDuration(r.timeout) ?? ZERO_DURATION;
  const retry = toRetryPolicy(r.retries, ctx.snapshot.mesh.defaultRetryAttempts);
  if (retry) action.retryPolicy = retry;
  if (r.rewrite?.uri !== undefined) action.prefixRewrite = r.rewrite.uri;
  if (r.rewrite?.uriRegexRewrite) {
    action.regexRewrite = { pattern: { regex: r.rewrite.uriRegexRewrite.match ?? '' }, substitution: r.rewrite.uriRegexRewrite.rewrite ?? '' };
  }
  if (r.rewrite?.authority) action.hostRewriteLiteral = r.rewrite.authority;
  const mirrors = [...(r.mirror ? [{ destination: r.mirror, percentage: r.mirrorPercentage }] : []), ...(r.mirrors ?? [])];
  if (mirrors.length) {
    action.requestMirrorPolicies = mirrors.map((m) => ({
      cluster: destinationCluster(m.destination, ctx),
      runtimeFraction: { defaultValue: percentToFraction(m.percentage?.value ?? 100) },
    }));
  }
  if (dests.length === 1) {
    const hp = hashPolicyFor(dests[0].destination, ctx);
    if (hp.length) action.hashPolicy = hp;
  }
  return action;
}

/** A 0-100 percentage as an Envoy FractionalPercent over a million (Istio's conversion). */
export function percentToFraction(percent: number): { numerator: number; denominator: 'MILLION' } {
  return { numerator: Math.round(percent * 10_000), denominator: 'MILLION' };
}
