import { describe, expect, it } from 'vitest';
import { type StatsScope, StatsStore } from '../stats';
import { Cancellation } from '../util/cancellation';
import { CircuitBreakers, type ConnectionUser } from './circuit-breakers';

/** A stat's current value as the stats views read it (counters, gauges and read gauges). */
const valueOf = (scope: StatsScope, stat: string): number | undefined => [...scope.entries()].find((e) => e.stat === stat)?.metric.value;

const limits = { maxConnections: 1, maxPendingRequests: 1, maxRequests: 2, maxRetries: 1, trackRemaining: true };

describe('circuit breakers', () => {
  it('admits on an idle connection or under max_connections, queues one pending, overflows the next', async () => {
    const host: ConnectionUser = { connections: 0, dispatched: 0 };
    const stats = new StatsStore().scope('cluster', 'c');
    const cb = new CircuitBreakers(limits, stats, () => [host]);
    expect(cb.admit(host, [])).toBe('ready');
    host.connections = 1;
    const pending = cb.admit(host, []);
    expect(pending).toBeInstanceOf(Promise);
    expect(cb.admit(host, [])).toBe('overflow');
    expect(stats.counter('upstream_cx_overflow').value).toBe(2);
    expect(stats.counter('upstream_rq_pending_overflow').value).toBe(1);
    expect(valueOf(stats, 'circuit_breakers.default.rq_pending_open')).toBe(1);
    expect(valueOf(stats, 'upstream_rq_pending_active')).toBe(1);
    cb.release(host);
    await expect(pending).resolves.toBe('ready');
    expect(host.dispatched).toBe(1);
  });

  it('drops a pending request whose downstream went away', async () => {
    const host: ConnectionUser = { connections: 1, dispatched: 1 };
    const cb = new CircuitBreakers(limits, new StatsStore().scope('cluster', 'c'), () => [host]);
    const gone = new Cancellation();
    const p = cb.admit(host, [gone]);
    gone.cancel('downstream');
    await expect(p).resolves.toBe('cancelled');
    expect(cb.admit(host, [])).toBeInstanceOf(Promise);
  });

  it('releases pending requests when the cluster goes away', async () => {
    const host: ConnectionUser = { connections: 1, dispatched: 1 };
    const cb = new CircuitBreakers(limits, new StatsStore().scope('cluster', 'c'), () => [host]);
    const p = cb.admit(host, []);
    cb.abandonPending();
    await expect(p).resolves.toBe('cancelled');
  });

  it('counts several streams per connection on a multiplexed (HTTP/2) cluster', () => {
    const host: ConnectionUser = { connections: 1, dispatched: 0 };
    const cb = new CircuitBreakers(limits, new StatsStore().scope('cluster', 'c'), () => [host], 3);
    expect([cb.admit(host, []), cb.admit(host, []), cb.admit(host, [])]).toEqual(['ready', 'ready', 'ready']);
    expect(cb.admit(host, [])).toBeInstanceOf(Promise);
  });

  it('limits requests and retries', () => {
    const stats = new StatsStore().scope('cluster', 'c');
    const cb = new CircuitBreakers(limits, stats, () => []);
    expect([cb.tryRequest(), cb.tryRequest(), cb.tryRequest()]).toEqual([true, true, false]);
    expect(valueOf(stats, 'circuit_breakers.default.rq_open')).toBe(1);
    expect(valueOf(stats, 'circuit_breakers.default.remaining_rq')).toBe(0);
    expect([cb.tryRetry(), cb.tryRetry()]).toEqual([true, false]);
    expect(stats.counter('upstream_rq_retry_overflow').value).toBe(1);
    cb.releaseRetry();
    expect(cb.tryRetry()).toBe(true);
    cb.releaseRequest();
    expect(valueOf(stats, 'circuit_breakers.default.rq_open')).toBe(0);
    expect(valueOf(stats, 'circuit_breakers.default.remaining_rq')).toBe(1);
  });

  it('computes its gauges when stats are read; a successor takes them over, detach of the old one leaves them', () => {
    const host: ConnectionUser = { connections: 1, dispatched: 1 };
    const stats = new StatsStore().scope('cluster', 'c');
    const old = new CircuitBreakers(limits, stats, () => [host]);
    expect(valueOf(stats, 'circuit_breakers.default.cx_open')).toBe(1);
    expect(valueOf(stats, 'circuit_breakers.default.remaining_cx')).toBe(0);
    const successor = new CircuitBreakers({ ...limits, maxConnections: 4, trackRemaining: false }, stats, () => [host]);
    old.detach();
    const names = [...stats.entries()].map((e) => e.stat).sort();
    expect(names).toEqual(['circuit_breakers.default.cx_open', 'circuit_breakers.default.rq_open', 'circuit_breakers.default.rq_pending_open', 'circuit_breakers.default.rq_retry_open', 'upstream_rq_pending_active']);
    expect(valueOf(stats, 'circuit_breakers.default.cx_open')).toBe(0);
    successor.detach();
    expect([...stats.entries()]).toEqual([]);
  });
});
