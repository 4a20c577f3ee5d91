import type * as xds from '@mizzen/xds-types';
import type { FaultConfig, HeaderMatcher } from '../model';
import { type Issues, at } from './issues';
import { durationMs, headerMatcher } from './primitives';

/** The filter name Istio and Pilot use for the fault filter (keys typed_per_filter_config). */
export const FAULT_FILTER = 'envoy.filters.http.fault';

const DENOMINATORS: Record<xds.DenominatorType, number> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** FractionalPercent as a fraction in [0, 1]; an unset percentage is 0 (the proto default). */
function fraction(p: xds.FractionalPercent | undefined): number {
  if (!p) return 0;
  return Math.min(1, (p.numerator ?? 0) / DENOMINATORS[p.denominator ?? 'HUNDRED']);
}

/**
 * HTTPFault: fixed delays and HTTP/gRPC aborts; header-controlled faults are rejected.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/fault/v3/fault.proto
 */
export function faultConfig(f: xds.HTTPFault, path: string, issues: Issues): FaultConfig {
  const out: FaultConfig = { headers: [], maxActiveFaults: f.maxActiveFaults?.value ?? 0 };
  if (f.delay) {
    if (f.delay.headerDelay) issues.error(at(path, 'delay.headerDelay'), 'header-controlled delays are not supported');
    out.delay = { ms: durationMs(f.delay.fixedDelay, at(path, 'delay.fixedDelay'), issues, 0), fraction: fraction(f.delay.percentage) };
  }
  if (f.abort) {
    const a = f.abort;
    if (a.headerAbort) issues.error(at(path, 'abort.headerAbort'), 'header-controlled aborts are not supported');
    if (a.httpStatus !== undefined && !(a.httpStatus >= 200 && a.httpStatus < 600)) issues.error(at(path, 'abort.httpStatus'), `status ${a.httpStatus} must be in [200, 600)`);
    if (a.httpStatus === undefined && a.grpcStatus === undefined && !a.headerAbort) issues.error(at(path, 'abort'), 'one of httpStatus, grpcStatus is required');
    out.abort = { httpStatus: a.httpStatus, grpcStatus: a.grpcStatus, fraction: fraction(a.percentage) };
  }
  if (f.downstreamNodes?.length) issues.error(at(path, 'downstreamNodes'), 'not supported');
  out.upstreamCluster = f.upstreamCluster || undefined;
  const headers: HeaderMatcher[] = [];
  (f.headers ?? []).forEach((h, i) => {
    const m = headerMatcher(h, at(at(path, 'headers'), i), issues);
    if (m) headers.push(m);
  });
  out.headers = headers;
  return out;
}
