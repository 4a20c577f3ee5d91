import type * as xds from '@mizzen/xds-types';
import type { CircuitBreakerLimits, OutlierDetectionConfig } from '../model';
import { type Issues, at } from './issues';
import { durationMs } from './primitives';

/** Fields of OutlierDetection that @mizzen/xds-types does not (yet) declare. */
type OutlierBody = xds.OutlierDetection & { enforcingConsecutiveLocalOriginFailure?: xds.UInt32Value };

/** Envoy's OutlierDetection defaults. */
const DEFAULTS = { intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionTimeMs: 300_000, maxEjectionPercent: 10, consecutive: 5 };

function percent(v: xds.UInt32Value | undefined, fallback: number, path: string, issues: Issues): number {
  const n = v?.value ?? fallback;
  if (n > 100) issues.error(path, `${n} is not a percentage in [0, 100]`);
  return Math.min(100, n);
}

/**
 * OutlierDetection: the consecutive 5xx / gateway-failure / local-origin-failure detectors with
 * ejection back-off. Success-rate and failure-percentage detection are not implemented: setting
 * their thresholds is warned about (their enforcing defaults alone change nothing Pilot sends).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier
 */
export function outlierDetection(o: OutlierBody, path: string, issues: Issues): OutlierDetectionConfig {
  const ms = (d: xds.Duration | undefined, field: string, fallback: number): number => durationMs(d, at(path, field), issues, fallback);
  const intervalMs = ms(o.interval, 'interval', DEFAULTS.intervalMs);
  if (o.interval && intervalMs <= 0) issues.error(at(path, 'interval'), 'must be greater than zero');
  const baseEjectionTimeMs = ms(o.baseEjectionTime, 'baseEjectionTime', DEFAULTS.baseEjectionTimeMs);
  const maxEjectionTimeMs = ms(o.maxEjectionTime, 'maxEjectionTime', Math.max(DEFAULTS.maxEjectionTimeMs, baseEjectionTimeMs));
  if (maxEjectionTimeMs < baseEjectionTimeMs) issues.error(at(path, 'maxEjectionTime'), 'cannot be smaller than baseEjectionTime');
  for (const f of ['successRateMinimumHosts', 'successRateRequestVolume', 'successRateStdevFactor', 'failurePercentageThreshold'] as const) {
    if (o[f] !== undefined) issues.warn(at(path, f), 'success-rate and failure-percentage ejection are not implemented; ignored');
  }
  return {
    intervalMs,
    baseEjectionTimeMs,
    maxEjectionTimeMs,
    maxEjectionPercent: percent(o.maxEjectionPercent, DEFAULTS.maxEjectionPercent, at(path, 'maxEjectionPercent'), issues),
    consecutive5xx: o.consecutive_5xx?.value ?? DEFAULTS.consecutive,
    enforcingConsecutive5xx: percent(o.enforcingConsecutive_5xx, 100, at(path, 'enforcingConsecutive_5xx'), issues),
    consecutiveGatewayFailure: o.consecutiveGatewayFailure?.value ?? DEFAULTS.consecutive,
    enforcingConsecutiveGatewayFailure: percent(o.enforcingConsecutiveGatewayFailure, 0, at(path, 'enforcingConsecutiveGatewayFailure'), issues),
    splitExternalLocalOriginErrors: o.splitExternalLocalOriginErrors ?? false,
    consecutiveLocalOriginFailure: o.consecutiveLocalOriginFailure?.value ?? DEFAULTS.consecutive,
    enforcingConsecutiveLocalOriginFailure: percent(o.enforcingConsecutiveLocalOriginFailure, 100, at(path, 'enforcingConsecutiveLocalOriginFailure'), issues),
  };
}

/** Envoy's circuit breaker defaults for a threshold that leaves a field unset. */
const CB_DEFAULTS = { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 };

/**
 * circuit_breakers: the DEFAULT priority threshold (HIGH is for routes with priority HIGH, which
 * Pilot never sends); per-host thresholds are rejected rather than silently ignored.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/circuit_breaker.proto
 */
export function circuitBreakers(cb: xds.CircuitBreakers | undefined, path: string, issues: Issues): CircuitBreakerLimits {
  if (cb?.perHostThresholds?.length) issues.error(at(path, 'perHostThresholds'), 'per-host circuit breakers are not supported');
  const t = cb?.thresholds?.find((x) => (x.priority ?? 'DEFAULT') === 'DEFAULT');
  return {
    maxConnections: t?.maxConnections?.value ?? CB_DEFAULTS.maxConnections,
    maxPendingRequests: t?.maxPendingRequests?.value ?? CB_DEFAULTS.maxPendingRequests,
    maxRequests: t?.maxRequests?.value ?? CB_DEFAULTS.maxRequests,
    maxRetries: t?.maxRetries?.value ?? CB_DEFAULTS.maxRetries,
    trackRemaining: t?.trackRemaining ?? false,
  };
}
