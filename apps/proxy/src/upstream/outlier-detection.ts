import type { OutlierDetectionConfig } from '../config/model';
import type { Rng } from '../routing';
import type { StatsScope } from '../stats';

/** Per-host detector state (Envoy's DetectorHostMonitor). */
export class OutlierState {
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  consecutiveLocalOriginFailure = 0;
  ejected = false;
  ejectedAtMs = 0;
  numEjections = 0;
  /** Multiplier of base_ejection_time for the next ejection; decays while the host stays healthy. */
  backoff = 0;
}

/** What an attempt told the detector: an HTTP status, a local-origin failure, or a timeout. */
export type OutlierResult = { kind: 'status'; status: number } | { kind: 'local-failure' } | { kind: 'timeout' };

export interface MonitoredHost {
  readonly key: string;
  outlier: OutlierState;
}

type EjectionType = 'consecutive_5xx' | 'consecutive_gateway_failure' | 'consecutive_local_origin_failure';

/**
 * Envoy's outlier detector, consecutive-error flavours. Each result updates the host's counters;
 * reaching a threshold ejects the host (if enforced by its `enforcing_*` percentage and fewer than
 * max_ejection_percent of the hosts are ejected, which always allows the first ejection). Every
 * `interval` a host ejected for at least min(base_ejection_time x back-off, max_ejection_time)
 * returns; the back-off grows with each ejection and shrinks every interval the host stays in.
 * Without split_external_local_origin_errors, local failures count as 503 and timeouts as 504.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier
 */
export class OutlierDetector {
  private readonly hosts = new Set<MonitoredHost>();
  private readonly timer: NodeJS.Timeout;
  private active = 0;

  constructor(
    private readonly config: OutlierDetectionConfig,
    private readonly stats: StatsScope,
    private readonly rng: Rng,
    /** Called when a host is ejected or returns (the cluster rebuilds its load balancer). */
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.sweep(), config.intervalMs).unref();
    this.stats.gauge('outlier_detection.ejections_active').set(0);
  }

  /** Tracks exactly these hosts; a removed ejected host no longer counts as ejected. */
  setHosts(hosts: Iterable<MonitoredHost>): void {
    const next = new Set(hosts);
    for (const h of this.hosts) if (!next.has(h) && h.outlier.ejected) this.setActive(this.active - 1);
    this.hosts.clear();
    for (const h of next) this.hosts.add(h);
  }

  report(host: MonitoredHost, r: OutlierResult): void {
    if (!this.hosts.has(host)) return;
    const c = this.config;
    if (r.kind !== 'status' && c.splitExternalLocalOriginErrors) {
      if (++host.outlier.consecutiveLocalOriginFailure === c.consecutiveLocalOriginFailure) this.detected(host, 'consecutive_local_origin_failure');
      return;
    }
    if (r.kind === 'status' && c.splitExternalLocalOriginErrors) host.outlier.consecutiveLocalOriginFailure = 0;
    this.status(host, r.kind === 'status' ? r.status : r.kind === 'timeout' ? 504 : 503);
  }

  private status(host: MonitoredHost, status: number): void {
    const s = host.outlier;
    if (status < 500 || status > 599) {
      s.consecutive5xx = 0;
      s.consecutiveGatewayFailure = 0;
      return;
    }
    if (status >= 502 && status <= 504) {
      if (++s.consecutiveGatewayFailure === this.config.consecutiveGatewayFailure) this.detected(host, 'consecutive_gateway_failure');
    } else s.consecutiveGatewayFailure = 0;
    if (++s.consecutive5xx === this.config.consecutive5xx) this.detected(host, 'consecutive_5xx');
  }

  private detected(host: MonitoredHost, type: EjectionType): void {
    const s = host.outlier;
    if (s.ejected) return;
    this.stats.counter(`outlier_detection.ejections_detected_${type}`).inc();
    this.eject(host, type);
    if (type === 'consecutive_5xx') s.consecutive5xx = 0;
    else if (type === 'consecutive_gateway_failure') s.consecutiveGatewayFailure = 0;
    else s.consecutiveLocalOriginFailure = 0;
  }

  private enforcing(type: EjectionType): number {
    const c = this.config;
    return type === 'consecutive_5xx' ? c.enforcingConsecutive5xx : type === 'consecutive_gateway_failure' ? c.enforcingConsecutiveGatewayFailure : c.enforcingConsecutiveLocalOriginFailure;
  }

  private eject(host: MonitoredHost, type: EjectionType): void {
    const c = this.config;
    if ((100 * this.active) / this.hosts.size >= c.maxEjectionPercent) {
      this.stats.counter('outlier_detection.ejections_overflow').inc();
      return;
    }
    if (type === 'consecutive_5xx') this.stats.counter('outlier_detection.ejections_total').inc();
    if (this.rng() * 100 >= this.enforcing(type)) return;
    const s = host.outlier;
    s.ejected = true;
    s.ejectedAtMs = this.now();
    s.numEjections++;
    if (s.backoff * c.baseEjectionTimeMs < c.maxEjectionTimeMs + c.baseEjectionTimeMs) s.backoff++;
    this.stats.counter('outlier_detection.ejections_enforced_total').inc();
    this.stats.counter(`outlier_detection.ejections_enforced_${type}`).inc();
    this.setActive(this.active + 1);
    this.onChange();
  }

  /** The interval timer: returns hosts whose ejection time is up; decays back-off of healthy hosts. */
  sweep(): void {
    const c = this.config;
    const now = this.now();
    let changed = false;
    for (const h of this.hosts) {
      const s = h.outlier;
      if (!s.ejected) {
        if (s.backoff > 0) s.backoff--;
        continue;
      }
      if (Math.min(c.baseEjectionTimeMs * s.backoff, c.maxEjectionTimeMs) <= now - s.ejectedAtMs) {
        s.ejected = false;
        s.consecutive5xx = 0;
        s.consecutiveGatewayFailure = 0;
        this.setActive(this.active - 1);
        changed = true;
      }
    }
    if (changed) this.onChange();
  }

  private setActive(n: number): void {
    this.active = n;
    this.stats.gauge('outlier_detection.ejections_active').set(n);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
