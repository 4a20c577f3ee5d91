import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.50';
const PORT = 15001;
const proxy = { host: IP, port: PORT };

/** A port nothing listens on. */
async function closedPort(host: string): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, host, () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('local replies, response flags, timeouts and retries', () => {
  let rt: ProxyRuntime;
  let slow: TestUpstream;
  let flaky: TestUpstream;
  let good: TestUpstream;
  const log: string[] = [];
  let failures = 0;

  beforeAll(async () => {
    slow = await startUpstream('slow', '127.0.0.51', (req, res) => void setTimeout(() => res.end('late'), 1000));
    flaky = await startUpstream('flaky', '127.0.0.52', (req, res) => {
      req.resume();
      if (failures-- > 0) res.writeHead(503).end('try again');
      else res.end('recovered');
    });
    good = await startUpstream('good', '127.0.0.53');
    const dead = await closedPort('127.0.0.54');
    rt = await startRuntime(
      {
        clusters: [
          b.staticCluster('slow', [[slow.host, slow.port]]),
          b.staticCluster('flaky', [[flaky.host, flaky.port]]),
          b.staticCluster('dead', [['127.0.0.54', dead]]),
          b.staticCluster('dead-then-good', [['127.0.0.54', dead], [good.host, good.port]], { lbPolicy: 'ROUND_ROBIN' }),
          b.edsCluster('empty'),
        ],
        endpoints: [b.assignment('empty', [])],
        listeners: [b.listener('outbound_http_proxy', IP, PORT, { rds: 'r' })],
        routes: [
          b.routeConfiguration('r', [
            b.vhost('svc', ['svc'], [
              b.routeTo('slow', { prefix: '/slow' }, { timeout: { seconds: 0, nanos: 200_000_000 } }),
              b.routeTo('slow', { prefix: '/per-try' }, { timeout: { seconds: 5 }, retryPolicy: { retryOn: '5xx', numRetries: { value: 1 }, perTryTimeout: { seconds: 0, nanos: 150_000_000 } } }),
              b.routeTo('slow', { prefix: '/no-timeout' }, { timeout: { seconds: 0 } }),
              b.routeTo('flaky', { prefix: '/flaky-no-retry' }),
              b.routeTo('flaky', { prefix: '/flaky' }, { retryPolicy: { retryOn: 'retriable-status-codes', retriableStatusCodes: [503], numRetries: { value: 2 } } }),
              b.routeTo('dead', { prefix: '/dead' }),
              b.routeTo('dead-then-good', { prefix: '/failover' }, { retryPolicy: { retryOn: 'connect-failure', numRetries: { value: 2 } } }),
              b.routeTo('empty', { prefix: '/empty' }),
              b.routeTo('missing', { prefix: '/missing' }),
            ]),
          ]),
        ],
      },
      { accessLog: (line) => log.push(line) },
    );
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all([slow, flaky, good].map((u) => u.close()));
  });

  const get = (path: string) => request(proxy, { path, headers: { host: 'svc', 'user-agent': 'vitest' } });
  const lastLog = () => log.at(-1) ?? '';

  it('404 with flag NR when no route matches', async () => {
    const res = await request(proxy, { path: '/', headers: { host: 'unknown' } });
    expect(res.status).toBe(404);
    expect(lastLog()).toMatch(/"GET \/ HTTP\/1.1" 404 NR 0 0 \d+ - "-" "-" "[0-9a-f-]{36}" "unknown" "-"$/);
  });

  it('503 with flag NC for an unknown cluster', async () => {
    expect((await get('/missing')).status).toBe(503);
    expect(lastLog()).toContain('" 503 NC ');
  });

  it('503 "no healthy upstream" with flag UH for a cluster without endpoints', async () => {
    const res = await get('/empty');
    expect(res).toMatchObject({ status: 503, body: 'no healthy upstream' });
    expect(lastLog()).toContain('" 503 UH ');
  });

  it('503 with flag UF when the upstream refuses the connection', async () => {
    const res = await get('/dead');
    expect(res.status).toBe(503);
    expect(res.body).toMatch(/^upstream connect error or disconnect\/reset before headers\. reset reason: connection failure/);
    expect(lastLog()).toContain('" 503 UF ');
  });

  it('504 "upstream request timeout" with flag UT after the route timeout', async () => {
    const t0 = Date.now();
    const res = await get('/slow');
    expect(res).toMatchObject({ status: 504, body: 'upstream request timeout' });
    expect(Date.now() - t0).toBeLessThan(900);
    expect(lastLog()).toContain('" 504 UT ');
    expect(rt.stats.scope('cluster', 'slow').counter('upstream_rq_timeout').value).toBe(1);
  });

  it('504 after per-try timeouts and retries are spent', async () => {
    const res = await get('/per-try');
    expect(res.status).toBe(504);
    expect(rt.stats.scope('cluster', 'slow').counter('upstream_rq_per_try_timeout').value).toBe(1);
    expect(rt.stats.scope('cluster', 'slow').counter('upstream_rq_retry').value).toBe(1);
  });

  it('a zero timeout waits as long as the upstream takes', async () => {
    expect((await get('/no-timeout')).body).toBe('late');
  });

  it('retries retriable status codes and succeeds', async () => {
    failures = 2;
    const res = await get('/flaky');
    expect(res).toMatchObject({ status: 200, body: 'recovered' });
    const s = rt.stats.scope('cluster', 'flaky');
    expect(s.counter('upstream_rq_retry').value).toBe(2);
    expect(s.counter('upstream_rq_retry_success').value).toBe(1);
    expect(s.counter('upstream_rq_503').value).toBe(2);
  });

  it('returns the last response with flag URX when retries are exhausted', async () => {
    failures = 5;
    const res = await get('/flaky');
    expect(res.status).toBe(503);
    expect(lastLog()).toContain('" 503 URX ');
    failures = 0;
  });

  it('does not retry without a retry policy', async () => {
    failures = 1;
    expect((await get('/flaky-no-retry')).status).toBe(503);
    failures = 0;
  });

  it('retries a connect failure on another host', async () => {
    for (let i = 0; i < 4; i++) expect((await get('/failover')).body).toBe('good');
  });

  it('counts per-cluster requests and response codes', () => {
    const s = rt.stats.scope('cluster', 'dead-then-good');
    expect(s.counter('upstream_rq_200').value).toBe(4);
    expect(s.counter('upstream_rq_2xx').value).toBe(4);
    expect(s.counter('upstream_cx_connect_fail').value).toBeGreaterThan(0);
    expect(rt.stats.scope('http', 'outbound_http_proxy').counter('no_route').value).toBe(1);
  });
});
