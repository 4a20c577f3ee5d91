import { afterEach, describe, expect, it } from 'vitest';
import type { OutlierDetectionConfig } from '../config/model';
import { StatsStore } from '../stats';
import { type MonitoredHost, OutlierDetector, OutlierState } from './outlier-detection';

const config = (o: Partial<OutlierDetectionConfig> = {}): OutlierDetectionConfig => ({
  intervalMs: 60_000,
  baseEjectionTimeMs: 1000,
  maxEjectionTimeMs: 300_000,
  maxEjectionPercent: 100,
  consecutive5xx: 3,
  enforcingConsecutive5xx: 100,
  consecutiveGatewayFailure: 2,
  enforcingConsecutiveGatewayFailure: 0,
  splitExternalLocalOriginErrors: false,
  consecutiveLocalOriginFailure: 2,
  enforcingConsecutiveLocalOriginFailure: 100,
  ...o,
});

const hosts = (n: number): MonitoredHost[] => Array.from({ length: n }, (_, i) => ({ key: `h${i}`, outlier: new OutlierState() }));

describe('outlier detector', () => {
  let now = 0;
  let changes = 0;
  let det: OutlierDetector | undefined;
  const stats = new StatsStore();
  const make = (c: OutlierDetectionConfig, hs: MonitoredHost[]): OutlierDetector => {
    det = new OutlierDetector(c, stats.scope('cluster', `c${Math.random()}`), () => 0.5, () => changes++, () => now);
    det.setHosts(hs);
    return det;
  };
  afterEach(() => det?.close());

  it('ejects after consecutive 5xx; a success in between resets the count', () => {
    const [a] = hosts(2);
    const d = make(config(), [a, ...hosts(1)]);
    d.report(a, { kind: 'status', status: 500 });
    d.report(a, { kind: 'status', status: 503 });
    d.report(a, { kind: 'status', status: 200 });
    d.report(a, { kind: 'status', status: 500 });
    d.report(a, { kind: 'status', status: 500 });
    expect(a.outlier.ejected).toBe(false);
    d.report(a, { kind: 'status', status: 500 });
    expect(a.outlier.ejected).toBe(true);
    expect(changes).toBeGreaterThan(0);
  });

  it('returns a host after base_ejection_time x ejections, swept on the interval', () => {
    const [a, b] = hosts(2);
    const d = make(config(), [a, b]);
    now = 0;
    for (let i = 0; i < 3; i++) d.report(a, { kind: 'status', status: 502 });
    expect(a.outlier.ejected).toBe(true);
    now = 999;
    d.sweep();
    expect(a.outlier.ejected).toBe(true);
    now = 1000;
    d.sweep();
    expect(a.outlier.ejected).toBe(false);
    // Ejected again before the back-off decays: twice the base time.
    for (let i = 0; i < 3; i++) d.report(a, { kind: 'status', status: 500 });
    now = 2999;
    d.sweep();
    expect(a.outlier.ejected).toBe(true);
    now = 3000;
    d.sweep();
    expect(a.outlier.ejected).toBe(false);
    expect(a.outlier.numEjections).toBe(2);
  });

  it('never ejects past max_ejection_percent, but always allows the first ejection', () => {
    const [a, b, c] = hosts(3);
    const d = make(config({ maxEjectionPercent: 10 }), [a, b, c]);
    for (let i = 0; i < 3; i++) d.report(a, { kind: 'status', status: 500 });
    for (let i = 0; i < 3; i++) d.report(b, { kind: 'status', status: 500 });
    expect([a.outlier.ejected, b.outlier.ejected]).toEqual([true, false]);
  });

  it('enforces gateway failures only with enforcing_consecutive_gateway_failure', () => {
    const [a, b] = hosts(2);
    const d = make(config({ consecutive5xx: 100 }), [a, b]);
    for (let i = 0; i < 4; i++) d.report(a, { kind: 'status', status: 503 });
    expect(a.outlier.ejected).toBe(false);
    const d2 = make(config({ consecutive5xx: 100, enforcingConsecutiveGatewayFailure: 100 }), [b]);
    d2.report(b, { kind: 'status', status: 504 });
    d2.report(b, { kind: 'status', status: 504 });
    expect(b.outlier.ejected).toBe(true);
  });

  it('counts local-origin failures as 5xx unless split, then on their own counter', () => {
    const [a, b] = hosts(2);
    const d = make(config(), [a, b]);
    for (let i = 0; i < 3; i++) d.report(a, { kind: 'local-failure' });
    expect(a.outlier.ejected).toBe(true);
    const [c, e] = hosts(2);
    const d2 = make(config({ splitExternalLocalOriginErrors: true }), [c, e]);
    d2.report(c, { kind: 'status', status: 500 });
    d2.report(c, { kind: 'timeout' });
    d2.report(c, { kind: 'status', status: 200 });
    d2.report(c, { kind: 'local-failure' });
    expect(c.outlier.ejected).toBe(false);
    d2.report(c, { kind: 'local-failure' });
    expect(c.outlier.ejected).toBe(true);
  });

  it('publishes ejection stats', () => {
    const [a, b] = hosts(2);
    const s = stats.scope('cluster', 'published');
    det = new OutlierDetector(config(), s, () => 0.5, () => undefined, () => now);
    det.setHosts([a, b]);
    for (let i = 0; i < 3; i++) det.report(a, { kind: 'status', status: 500 });
    expect(s.gauge('outlier_detection.ejections_active').value).toBe(1);
    expect(s.counter('outlier_detection.ejections_enforced_consecutive_5xx').value).toBe(1);
    expect(s.counter('outlier_detection.ejections_detected_consecutive_5xx').value).toBe(1);
    det.setHosts([b]);
    expect(s.gauge('outlier_detection.ejections_active').value).toBe(0);
  });
});
