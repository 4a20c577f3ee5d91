import type { CircuitBreakerLimits } from '../config/model';
import type { GaugeReader, StatsScope } from '../stats';
import type { Cancellation } from '../util/cancellation';

/** What admission needs of a host: open sockets and requests dispatched on them (HTTP/1: one each). */
export interface ConnectionUser {
  connections: number;
  dispatched: number;
}

export type Admission = 'ready' | 'overflow' | 'cancelled';

/** Limits this large are Istio's "unlimited" (2^32-1): skip counting connections. */
const UNLIMITED = 2 ** 31;

/** The gauges' owner key in the cluster's stats scope. */
const GAUGE_OWNER = 'circuit_breakers';
const CX_OPEN = 'circuit_breakers.default.cx_open';
const RQ_PENDING_OPEN = 'circuit_breakers.default.rq_pending_open';
const RQ_OPEN = 'circuit_breakers.default.rq_open';
const RQ_RETRY_OPEN = 'circuit_breakers.default.rq_retry_open';
const REMAINING_CX = 'circuit_breakers.default.remaining_cx';
const REMAINING_PENDING = 'circuit_breakers.default.remaining_pending';
const REMAINING_RQ = 'circuit_breakers.default.remaining_rq';
const REMAINING_RETRIES = 'circuit_breakers.default.remaining_retries';
const PENDING_ACTIVE = 'upstream_rq_pending_active';

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
 * The gauges (`circuit_breakers.default.*_open`, `remaining_*` with track_remaining,
 * `upstream_rq_pending_active`) are computed when stats are read, not set on every request.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/circuit_breaking
 */
export class CircuitBreakers {
  requests = 0;
  retries = 0;
  private readonly pending: Waiter[] = [];
  private readonly reader: GaugeReader = () => this.gaugeValues();

  constructor(
    readonly limits: CircuitBreakerLimits,
    private readonly stats: StatsScope,
    private readonly hosts: () => Iterable<ConnectionUser>,
    /** Requests one connection carries at once (1 for HTTP/1.1). */
    private readonly streamsPerConnection = 1,
  ) {
    stats.readGauges(GAUGE_OWNER, this.reader);
  }

  /** The cluster is gone: its gauges leave the stats (unless a successor already took them over). */
  detach(): void {
    this.stats.stopReading(GAUGE_OWNER, this.reader);
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
    return true;
  }

  releaseRequest(): void {
    this.requests--;
  }

  /** max_retries: false when another retry would exceed it. */
  tryRetry(): boolean {
    if (this.retries >= this.limits.maxRetries) {
      this.stats.counter('upstream_rq_retry_overflow').inc();
      return false;
    }
    this.retries++;
    return true;
  }

  releaseRetry(): void {
    this.retries--;
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
    w.resolve(a);
  }

  private gaugeValues(): Array<[string, number]> {
    const l = this.limits;
    const cx = this.connectionsInUse();
    const pending = this.pending.length;
    const out: Array<[string, number]> = [
      [CX_OPEN, cx >= l.maxConnections ? 1 : 0],
      [RQ_PENDING_OPEN, pending >= l.maxPendingRequests ? 1 : 0],
      [RQ_OPEN, this.requests >= l.maxRequests ? 1 : 0],
      [RQ_RETRY_OPEN, this.retries >= l.maxRetries ? 1 : 0],
      [PENDING_ACTIVE, pending],
    ];
    if (l.trackRemaining) {
      out.push([REMAINING_CX, Math.max(0, l.maxConnections - cx)], [REMAINING_PENDING, Math.max(0, l.maxPendingRequests - pending)]);
      out.push([REMAINING_RQ, Math.max(0, l.maxRequests - this.requests)], [REMAINING_RETRIES, Math.max(0, l.maxRetries - this.retries)]);
    }
    return out;
  }
}
