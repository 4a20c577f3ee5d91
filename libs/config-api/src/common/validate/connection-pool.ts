import type { Diagnostics } from '../../core/diagnostics';
import { checkDuration, parseDuration } from '../duration';
import type { ConnectionPoolSettings } from '../messages/connection-pool';

/**
 * Istio `validateConnectionPool`: at least one of tcp/http, non-negative limits, valid durations,
 * and no `useClientProtocol` together with `h2UpgradePolicy: UPGRADE`.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export function validateConnectionPool(d: Diagnostics, path: string, pool: ConnectionPoolSettings | undefined): void {
  if (!pool) return;
  if (!pool.http && !pool.tcp) {
    d.error(path, 'connection pool must have at least one field (tcp or http)');
    return;
  }
  const nonNegative = (at: string, v: number | undefined, what: string): void => {
    if (v !== undefined && v < 0) d.error(at, `${what} must be non-negative`);
  };
  const dur = (at: string, v: string | undefined): void => {
    if (v !== undefined) d.errorIf(at, checkDuration(v));
  };
  const h = pool.http;
  if (h) {
    const hp = `${path}.http`;
    nonNegative(`${hp}.http1MaxPendingRequests`, h.http1MaxPendingRequests, 'http1 max pending requests');
    nonNegative(`${hp}.http2MaxRequests`, h.http2MaxRequests, 'http2 max requests');
    nonNegative(`${hp}.maxRequestsPerConnection`, h.maxRequestsPerConnection, 'max requests per connection');
    nonNegative(`${hp}.maxRetries`, h.maxRetries, 'max retries');
    nonNegative(`${hp}.maxConcurrentStreams`, h.maxConcurrentStreams, 'max concurrent streams');
    dur(`${hp}.idleTimeout`, h.idleTimeout);
    if (h.h2UpgradePolicy === 'UPGRADE' && h.useClientProtocol) d.error(`${hp}.useClientProtocol`, 'use client protocol must not be true when h2UpgradePolicy is UPGRADE');
  }
  const t = pool.tcp;
  if (t) {
    const tp = `${path}.tcp`;
    nonNegative(`${tp}.maxConnections`, t.maxConnections, 'max connections');
    dur(`${tp}.connectTimeout`, t.connectTimeout);
    dur(`${tp}.maxConnectionDuration`, t.maxConnectionDuration);
    // `0s` disables the idle timeout entirely, so it is allowed here.
    if (t.idleTimeout !== undefined && parseDuration(t.idleTimeout) !== 0) dur(`${tp}.idleTimeout`, t.idleTimeout);
    dur(`${tp}.tcpKeepalive.time`, t.tcpKeepalive?.time);
    dur(`${tp}.tcpKeepalive.interval`, t.tcpKeepalive?.interval);
  }
}
