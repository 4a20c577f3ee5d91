import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.30';
const PORT = 15001;
const proxy = { host: IP, port: PORT };

describe('HTTP/1.1 proxying over loopback', () => {
  let rt: ProxyRuntime;
  let up: Record<string, TestUpstream>;
  const names = ['productpage', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'ratings', 'details-a', 'details-b', 'details-c', 'app', 'external'];

  beforeAll(async () => {
    up = Object.fromEntries(await Promise.all(names.map(async (n, i) => [n, await startUpstream(n, `127.0.0.${31 + i}`)] as const)));
    const ep = (n: string): [string, number] => [up[n].host, up[n].port];
    const cluster = (svc: string, subset = '') => `outbound|9080|${subset}|${svc}.default.svc.cluster.local`;
    rt = await startRuntime({
      clusters: [
        ...['productpage', 'ratings', 'details'].map((s) => b.edsCluster(cluster(s))),
        ...['v1', 'v2', 'v3'].map((v) => b.edsCluster(cluster('reviews', v))),
        b.staticCluster('inbound|9080||', [ep('app')]),
        b.passthroughCluster,
        b.blackHoleCluster,
      ],
      endpoints: [
        b.assignment(cluster('productpage'), [ep('productpage')]),
        b.assignment(cluster('ratings'), [ep('ratings')]),
        b.assignment(cluster('details'), [ep('details-a'), ep('details-b'), ep('details-c')]),
        ...['v1', 'v2', 'v3'].map((v) => b.assignment(cluster('reviews', v), [ep(`reviews-${v}`)])),
      ],
      listeners: [
        b.listener('outbound_http_proxy', IP, PORT, { rds: 'http_proxy' }),
        b.listener(`${IP}_9080`, IP, 9080, { inline: b.routeConfiguration('inbound|9080', [b.vhost('inbound|http|9080', ['*'], [b.routeTo('inbound|9080||')])]) }),
      ],
      routes: [
        b.routeConfiguration('http_proxy', [
          b.vhost('productpage', ['productpage:9080', 'productpage.default:9080', 'productpage.default.svc.cluster.local:9080'], [b.routeTo(cluster('productpage'))]),
          b.vhost('reviews', ['reviews:9080', 'reviews.default.svc.cluster.local:9080'], [
            b.routeTo(cluster('reviews', 'v2'), { prefix: '/', headers: [{ name: 'end-user', stringMatch: { exact: 'jason' } }] }),
            b.routeTo(cluster('reviews', 'v3'), { prefix: '/', headers: [{ name: ':method', stringMatch: { exact: 'POST' } }] }),
            b.routeTo(cluster('reviews', 'v1'), { path: '/v1-only' }),
            { match: { prefix: '/split' }, route: { weightedClusters: { clusters: [{ name: cluster('reviews', 'v1'), weight: { value: 50 } }, { name: cluster('reviews', 'v3'), weight: { value: 50 } }] } } },
            b.routeTo(cluster('reviews', 'v1')),
          ]),
          b.vhost('ratings', ['ratings:9080'], [b.routeTo(cluster('ratings'), { safeRegex: { regex: '/ratings/[0-9]+' } })]),
          b.vhost('details', ['details:9080'], [b.routeTo(cluster('details'))]),
          b.vhost('direct', ['direct:9080'], [{ match: { prefix: '/' }, directResponse: { status: 418, body: { inlineString: 'teapot' } } }]),
          b.vhost('moved', ['moved:9080'], [
            { match: { prefix: '/old/' }, redirect: { prefixRewrite: '/new/', responseCode: 'FOUND' } },
            { match: { prefix: '/' }, redirect: { httpsRedirect: true, hostRedirect: 'secure.example.com', stripQuery: true } },
          ]),
          b.vhost('allow_any', ['*'], [b.routeTo('PassthroughCluster')]),
        ]),
      ],
    });
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all(Object.values(up).map((u) => u.close()));
  });

  const via = async (authority: string, path: string, opts: { method?: string; headers?: Record<string, string> } = {}) =>
    request(proxy, { method: opts.method, path, headers: { host: authority, ...opts.headers } });

  it.each<[string, string, { method?: string; headers?: Record<string, string> }, string]>([
    ['productpage:9080', '/productpage', {}, 'productpage'],
    ['productpage.default.svc.cluster.local:9080', '/', {}, 'productpage'],
    ['reviews:9080', '/reviews/0', { headers: { 'end-user': 'jason' } }, 'reviews-v2'],
    ['reviews:9080', '/reviews/0', { method: 'POST' }, 'reviews-v3'],
    ['reviews:9080', '/reviews/0', {}, 'reviews-v1'],
    ['ratings:9080', '/ratings/7', {}, 'ratings'],
  ])('routes %s %s %j to %s', async (authority, path, opts, want) => {
    const res = await via(authority, path, opts);
    expect(res.status).toBe(200);
    expect(res.body).toBe(want);
  });

  it('routes absolute-form requests (HTTP_PROXY) by the URL authority, sending origin-form upstream', async () => {
    const res = await request(proxy, { path: 'http://reviews:9080/reviews/1?x=1', headers: { host: 'ignored' } });
    expect(res.body).toBe('reviews-v1');
    expect(res.headers['x-seen-path']).toBe('/reviews/1?x=1');
    expect(res.headers['x-seen-host']).toBe('reviews:9080');
  });

  it('forwards unknown hosts through the PassthroughCluster to the request host:port', async () => {
    const ext = up.external;
    const res = await request(proxy, { path: `http://${ext.host}:${ext.port}/ext` });
    expect(res.status).toBe(200);
    expect(res.body).toBe('external');
  });

  it('refuses to pass a request through to its own listener (no proxy loop)', async () => {
    const res = await request(proxy, { path: `http://${IP}:${PORT}/loop` });
    expect(res.status).toBe(503);
    expect(res.body).toContain('request loop');
  });

  it('splits ~50/50 between weighted clusters over 200 requests', async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const res = await via('reviews:9080', '/split');
      counts[res.body] = (counts[res.body] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['reviews-v1', 'reviews-v3']);
    expect(counts['reviews-v1']).toBeGreaterThan(70);
    expect(counts['reviews-v3']).toBeGreaterThan(70);
  });

  it('round-robins over the endpoints of a cluster', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) seen.push((await via('details:9080', '/details/1')).body);
    for (const n of ['details-a', 'details-b', 'details-c']) expect(seen.filter((s) => s === n)).toHaveLength(10);
    expect(new Set(seen.slice(0, 3)).size).toBe(3);
  });

  it('reuses upstream connections (keep-alive pools)', async () => {
    const before = up.ratings.connections;
    for (let i = 0; i < 50; i++) expect((await via('ratings:9080', '/ratings/1')).status).toBe(200);
    expect(up.ratings.connections - before).toBeLessThanOrEqual(1);
  });

  it('keeps downstream connections alive across requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const accepted = rt.stats.scope('listener', `${IP}_${PORT}`).counter('downstream_cx_total');
    const before = accepted.value;
    for (let i = 0; i < 10; i++) expect((await request(proxy, { path: '/productpage', headers: { host: 'productpage:9080' }, agent })).status).toBe(200);
    agent.destroy();
    expect(accepted.value - before).toBe(1);
  });

  it('serves inbound: the <ip>_<port> listener forwards to the app target', async () => {
    const res = await request({ host: IP, port: 9080 }, { path: '/health', headers: { host: 'productpage:9080' } });
    expect(res.body).toBe('app');
    expect(up.app.requests.at(-1)?.url).toBe('/health');
  });

  it('redirects, rewriting the prefix or switching scheme and host', async () => {
    const a = await via('moved:9080', '/old/page?x=1');
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe('http://moved:9080/new/page?x=1');
    const b2 = await via('moved:9080', '/login?next=/');
    expect(b2.status).toBe(301);
    expect(b2.headers.location).toBe('https://secure.example.com/login');
  });

  it('answers direct responses', async () => {
    const res = await via('direct:9080', '/');
    expect(res).toMatchObject({ status: 418, body: 'teapot' });
  });
});
