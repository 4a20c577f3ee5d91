import type { CircuitBreakerLimits } from '../config/model';
import type { Gauge, StatsScope } from '../stats';
import type { Cancellation } from '../util/cancellation';

/** What admission needs of a host: open sockets and requests dispatched on them (HTTP/1: one each). */
export interface ConnectionUser {
  connections: number;
  dispatched: number;
}

export type Admission = 'ready' | 'overflow' | 'cancelled';

type Resource = 'cx' | 'pending' | 'rq' | 'retry';

/** Limits this large are Istio's "unlimited" (2^32-1): skip counting connections. */
const UNLIMITED = 2 ** 31;

interface Waiter {
  host: ConnectionUser;
  resolve: (a: Admission) => void;
  offs: Array<() => void>;
}

/**
 * A cluster's circuit breakers (Envoy's ResourceManager for the DEFAULT priority):
 * - max_connections: a request that finds no idle connection on its host may open one only while
 *   the cluster is below the limit; otherwise (`upstream_cx_overflow`) it waits as pending;
 * - max_pending_requests: requests waiting for a connection; past it the request fails at once
 *   (503, flag UO, `upstream_rq_pending_overflow`, `x-envoy-overloaded: true`);
 * - max_requests: requests in flight across the cluster;
 * - max_retries: retries waiting to be sent (`upstream_rq_retry_overflow`; the last response stands).
 * Connections in use are estimated per host as max(open sockets, dispatched requests / streams per
 * connection): one request per connection on HTTP/1.1, up to max_concurrent_streams on HTTP/2.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/circuit_breaking
 */
export class CircuitBreakers {
  requests = 0;
  retries = 0;
  private readonly pending: Waiter[] = [];
  private readonly gauges: Record<Resource, { open: Gauge; remaining?: Gauge }>;
  private readonly pendingActive: Gauge;

  constructor(
    readonly limits: CircuitBreakerLimits,
    private readonly stats: StatsScope,
    private readonly hosts: () => Iterable<ConnectionUser>,
    /** Requests one connection carries at once (1 for HTTP/1.1). */
    private readonly streamsPerConnection = 1,
  ) {
    const g = (open: string, remaining: string): { open: Gauge; remaining?: Gauge } => ({
      open: stats.gauge(`circuit_breakers.default.${open}`),
      remaining: limits.trackRemaining ? stats.gauge(`circuit_breakers.default.${remaining}`) : undefined,
    });
    this.pendingActive = stats.gauge('upstream_rq_pending_active');
    this.gauges = { cx: g('cx_open', 'remaining_cx'), pending: g('rq_pending_open', 'remaining_pending'), rq: g('rq_open', 'remaining_rq'), retry: g('rq_retry_open', 'remaining_retries') };
    this.publish();
  }

  /** Connections in use across the cluster. */
  connectionsInUse(): number {
    let n = 0;
    for (const h of this.hosts()) n += Math.max(h.connections, Math.ceil(h.dispatched / this.streamsPerConnection));
    return n;
  }

  /** max_requests: false when another request would exceed it. */
  tryRequest(): boolean {
    if (this.requests >= this.limits.maxRequests) {
      this.stats.counter('upstream_rq_pending_overflow').inc();
      return false;
    }
    this.requests++;
    this.publish();
    return true;
  }

  releaseRequest(): void {
    this.requests--;
    this.publish();
  }

  /** max_retries: false when another retry would exceed it. */
  tryRetry(): boolean {
    if (this.retries >= this.limits.maxRetries) {
      this.stats.counter('upstream_rq_retry_overflow').inc();
      return false;
    }
    this.retries++;
    this.publish();
    return true;
  }

  releaseRetry(): void {
    this.retries--;
    this.publish();
  }

  private canDispatch(h: ConnectionUser): boolean {
    return this.limits.maxConnections >= UNLIMITED || h.connections * this.streamsPerConnection > h.dispatched || this.connectionsInUse() < this.limits.maxConnections;
  }

  /**
   * A connection for one request to `host`: at once when the host has an idle connection or the
   * cluster may open one; else pending until one frees, unless the pending queue is full.
   * `cancel` (route timeout, downstream gone) abandons a pending request.
   */
  admit(host: ConnectionUser, cancel: readonly Cancellation[]): Admission | Promise<Admission> {
    if (this.canDispatch(host)) {
      host.dispatched++;
      return 'ready';
    }
    this.stats.counter('upstream_cx_overflow').inc();
    if (this.pending.length >= this.limits.maxPendingRequests) {
      this.stats.counter('upstream_rq_pending_overflow').inc();
      return 'overflow';
    }
    this.stats.counter('upstream_rq_pending_total').inc();
    return new Promise<Admission>((resolve) => {
      const w: Waiter = { host, resolve, offs: [] };
      w.offs = cancel.map((c) => c.onCancel(() => this.leave(w, 'cancelled')));
      this.pending.push(w);
      this.publish();
    });
  }

  /** The request on `host` is done with its connection; pending requests may proceed. */
  release(host: ConnectionUser): void {
    host.dispatched--;
    this.wake();
  }

  /** Lets pending requests proceed, in order, while connections allow. */
  wake(): void {
    for (const w of [...this.pending]) {
      if (!this.canDispatch(w.host)) continue;
      w.host.dispatched++;
      this.leave(w, 'ready');
    }
  }

  /** The cluster is going away: pending requests give up (they fail as a connection termination). */
  abandonPending(): void {
    for (const w of [...this.pending]) this.leave(w, 'cancelled');
  }

  private leave(w: Waiter, a: Admission): void {
    const i = this.pending.indexOf(w);
    if (i < 0) return;
    this.pending.splice(i, 1);
    w.offs.forEach((off) => off());
    this.publish();
    w.resolve(a);
  }

  private publish(): void {
    const l = this.limits;
    const set = (k: Resource, used: number, max: number): void => {
      this.gauges[k].open.set(used >= max ? 1 : 0);
      this.gauges[k].remaining?.set(Math.max(0, max - used));
    };
    set('pending', this.pending.length, l.maxPendingRequests);
    this.pendingActive.set(this.pending.length);
    set('rq', this.requests, l.maxRequests);
    set('retry', this.retries, l.maxRetries);
    if (this.gauges.cx.remaining || this.pending.length) set('cx', this.connectionsInUse(), l.maxConnections);
  }
}
