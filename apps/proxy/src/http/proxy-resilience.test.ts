import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clustersText } from '../admin';
import type { ProxyRuntime } from '../runtime';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.3.1';
const PORT = 15001;
const proxy = { host: IP, port: PORT };
const MAX = 4294967295;

/** An httpbin-like `/delay`: answers after `ms`, counting concurrent requests. */
function sleeper(ms: number): { handler: (req: http.IncomingMessage, res: http.ServerResponse) => void; peak: () => number } {
  let active = 0;
  let peak = 0;
  return {
    handler: (req, res) => {
      req.resume();
      peak = Math.max(peak, ++active);
      setTimeout(() => {
        active--;
        res.end('slept');
      }, ms);
    },
    peak: () => peak,
  };
}

async function closedPort(host: string): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, host, () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('circuit breaking, outlier ejection and retries over loopback', () => {
  let rt: ProxyRuntime;
  const ups: TestUpstream[] = [];
  const slow = sleeper(300);
  const log: string[] = [];

  beforeAll(async () => {
    const httpbin = await startUpstream('httpbin', '127.0.3.10', (req, res) => slow.handler(req, res));
    const good = await startUpstream('good', '127.0.3.11');
    const bad = await startUpstream('bad', '127.0.3.12', (req, res) => {
      req.resume();
      res.writeHead(503).end('bad');
    });
    const counted = await startUpstream('counted', '127.0.3.14');
    ups.push(httpbin, good, bad, counted);
    const cb = { thresholds: [{ maxConnections: { value: 1 }, maxPendingRequests: { value: 1 }, maxRequests: { value: MAX }, maxRetries: { value: MAX } }] };
    const outlier = { consecutive_5xx: { value: 2 }, enforcingConsecutive_5xx: { value: 100 }, interval: { seconds: 0, nanos: 100_000_000 }, baseEjectionTime: { seconds: 0, nanos: 500_000_000 }, maxEjectionPercent: { value: 10 } };
    const dead = await closedPort('127.0.3.13');
    rt = await startRuntime(
      {
        clusters: [
          b.edsCluster('httpbin', { circuitBreakers: cb }),
          b.edsCluster('od', { outlierDetection: outlier }),
          b.edsCluster('retry'),
          b.edsCluster('no-retries', { circuitBreakers: { thresholds: [{ maxRetries: { value: 0 } }] } }),
          b.edsCluster('perconn', { maxRequestsPerConnection: { value: 2 } }),
          b.edsCluster('perconn1', { maxRequestsPerConnection: { value: 1 } }),
          b.edsCluster('mixed', { outlierDetection: { ...outlier, consecutive_5xx: { value: 1 } } }),
          b.edsCluster('prio'),
        ],
        endpoints: [
          b.assignment('httpbin', [[httpbin.host, httpbin.port]]),
          b.assignment('od', [[bad.host, bad.port], [good.host, good.port]]),
          b.assignment('retry', [[bad.host, bad.port], [good.host, good.port]]),
          b.assignment('no-retries', [[bad.host, bad.port], [good.host, good.port]]),
          b.assignment('perconn', [[counted.host, counted.port]]),
          b.assignment('perconn1', [[counted.host, counted.port]]),
          b.assignment('mixed', [['127.0.3.13', dead], [good.host, good.port]]),
          // Locality failover: the failing host alone in priority 0, the good one in priority 1.
          {
            clusterName: 'prio',
            endpoints: [
              { locality: { zone: 'a' }, priority: 0, lbEndpoints: [{ endpoint: { address: { socketAddress: { address: bad.host, portValue: bad.port } } } }] },
              { locality: { zone: 'b' }, priority: 1, lbEndpoints: [{ endpoint: { address: { socketAddress: { address: good.host, portValue: good.port } } } }] },
            ],
          },
        ],
        listeners: [b.listener('resilience', IP, PORT, { rds: 'r' })],
        routes: [
          b.routeConfiguration('r', [
            b.vhost('svc', ['svc'], [
              b.routeTo('httpbin', { prefix: '/delay' }),
              b.routeTo('od', { prefix: '/od' }),
              b.routeTo('mixed', { prefix: '/mixed' }),
              b.routeTo('perconn1', { prefix: '/perconn1' }),
              b.routeTo('perconn', { prefix: '/perconn' }),
              b.routeTo('no-retries', { prefix: '/no-retries' }, { retryPolicy: { retryOn: '5xx', numRetries: { value: 2 } } }),
              // Istio's retryRemoteLocalities: true (previous_priorities, update frequency 2) ...
              b.routeTo('prio', { prefix: '/prio-remote' }, {
                retryPolicy: {
                  retryOn: '5xx',
                  numRetries: { value: 2 },
                  retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
                  retryPriority: { name: 'envoy.retry_priorities.previous_priorities', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig', updateFrequency: 1 } },
                },
              }),
              // ... and without it: retries stay in priority 0.
              b.routeTo('prio', { prefix: '/prio-local' }, { retryPolicy: { retryOn: '5xx', numRetries: { value: 2 }, retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }] } }),
              b.routeTo('retry', { prefix: '/retry' }, {
                retryPolicy: {
                  retryOn: '5xx',
                  numRetries: { value: 2 },
                  retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
                  hostSelectionRetryMaxAttempts: 5,
                  retryBackOff: { baseInterval: { seconds: 0, nanos: 100_000_000 }, maxInterval: { seconds: 0, nanos: 200_000_000 } },
                },
              }),
            ]),
          ]),
        ],
      },
      // 0.99: back-off draws land near their ceiling, so the delay is measurable.
      { accessLog: (l) => log.push(l), rng: () => 0.99 },
    );
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all(ups.map((u) => u.close()));
  });

  const get = (path: string) => request(proxy, { path, headers: { host: 'svc' } });

  it('maxConnections 1 + http1MaxPendingRequests 1: concurrent load sees 503 UO with x-envoy-overloaded', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => get('/delay/0.3')));
    const ok = results.filter((r) => r.status === 200);
    const overflow = results.filter((r) => r.status === 503);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(overflow.length).toBeGreaterThanOrEqual(5);
    expect(ok.length + overflow.length).toBe(10);
    for (const r of overflow) {
      expect(r.headers['x-envoy-overloaded']).toBe('true');
      expect(r.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: overflow');
    }
    expect(log.filter((l) => l.includes('" 503 UO ')).length).toBe(overflow.length);
    expect(slow.peak()).toBe(1);
    const s = rt.stats.scope('cluster', 'httpbin');
    expect(s.counter('upstream_rq_pending_overflow').value).toBe(overflow.length);
    expect(s.counter('upstream_cx_overflow').value).toBeGreaterThan(0);
    expect(ups[0].connections).toBe(1);
  });

  it('ejects the failing endpoint, shifts traffic to the healthy one, and takes it back after baseEjectionTime', async () => {
    const first = [];
    for (let i = 0; i < 6; i++) first.push((await get('/od')).status);
    // Round robin alternates; the second consecutive 503 ejects `bad`.
    expect(first.filter((s) => s === 503)).toHaveLength(2);
    const s = rt.stats.scope('cluster', 'od');
    expect(s.gauge('outlier_detection.ejections_active').value).toBe(1);
    expect(clustersText(rt)).toContain('od::127.0.3.12:');
    expect(clustersText(rt)).toMatch(/od::127\.0\.3\.12:\d+::health_flags::\/failed_outlier_check/);
    for (let i = 0; i < 10; i++) expect((await get('/od')).body).toBe('good');
    const t0 = Date.now();
    while (s.gauge('outlier_detection.ejections_active').value > 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - t0).toBeLessThan(3000);
    const after = [];
    for (let i = 0; i < 4; i++) after.push((await get('/od')).body);
    expect(after).toContain('bad');
    expect(s.counter('outlier_detection.ejections_enforced_consecutive_5xx').value).toBeGreaterThanOrEqual(1);
  });

  it('ejects an endpoint that refuses connections (local-origin failures count as 503)', async () => {
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await get('/mixed')).status);
    expect(statuses.filter((st) => st === 503)).toHaveLength(1);
    expect(rt.stats.scope('cluster', 'mixed').gauge('outlier_detection.ejections_active').value).toBe(1);
  });

  it('closes an upstream connection after maxRequestsPerConnection requests', async () => {
    for (let i = 0; i < 6; i++) expect((await get('/perconn')).body).toBe('counted');
    expect(ups[3].connections).toBe(3);
    for (let i = 0; i < 3; i++) expect((await get('/perconn1')).body).toBe('counted');
    expect(ups[3].connections).toBe(6);
  });

  it('retries a 503 on another host after a back-off', async () => {
    const bad = ups[2];
    const before = bad.requests.length;
    const t0 = Date.now();
    for (let i = 0; i < 6; i++) {
      const r = await get('/retry');
      expect(r).toMatchObject({ status: 200, body: 'good' });
    }
    const badHits = bad.requests.length - before;
    expect(badHits).toBeGreaterThanOrEqual(2);
    // Each retry waited the first back-off, ~0.99 x 100 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(badHits * 95);
    const s = rt.stats.scope('cluster', 'retry');
    expect(s.counter('upstream_rq_retry').value).toBe(badHits);
    expect(s.counter('upstream_rq_retry_success').value).toBe(badHits);
  });

  it('retry priority previous_priorities (retryRemoteLocalities): a retry moves to the next priority; without it retries stay local', async () => {
    expect(await get('/prio-remote')).toMatchObject({ status: 200, body: 'good' });
    expect((await get('/prio-local')).status).toBe(503);
  });

  it('max_retries: a retry past the circuit breaker is not made; the 503 stands, flagged UO', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/no-retries')).status);
    expect(statuses.filter((st) => st === 503)).toHaveLength(2);
    expect(log.filter((l) => l.includes('"GET /no-retries HTTP/1.1" 503 UO ')).length).toBe(2);
    const s = rt.stats.scope('cluster', 'no-retries');
    expect(s.counter('upstream_rq_retry_overflow').value).toBe(2);
    expect(s.counter('upstream_rq_retry').value).toBe(0);
  });
});
