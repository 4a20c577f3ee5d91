import type * as xds from '@mizzen/xds-types';
import { TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { applyConfig, startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.3.2';
const PORT = 15001;
const proxy = { host: IP, port: PORT };

/** A listener whose HCM has the CORS filter before the router, as Pilot generates it. */
function corsListener(): xds.Listener {
  const l = b.listener('lb', IP, PORT, { rds: 'r' });
  const hcm = { statPrefix: 'lb', rds: { routeConfigName: 'r', configSource: { ads: {} } }, httpFilters: [{ name: 'envoy.filters.http.cors', typedConfig: toAny(TypeUrl.Cors, {}) }, b.router] };
  l.filterChains![0].filters![0].typedConfig = toAny(TypeUrl.HttpConnectionManager, hcm);
  return l;
}

/** EDS with one locality group per entry: [zone, priority, locality weight, endpoints]. */
function localities(name: string, groups: Array<[string, number, number, TestUpstream[]]>): xds.ClusterLoadAssignment {
  return {
    clusterName: name,
    endpoints: groups.map(([zone, priority, weight, us]) => ({
      locality: { region: 'r', zone },
      priority,
      loadBalancingWeight: { value: weight },
      lbEndpoints: us.map((u) => ({ endpoint: { address: { socketAddress: { address: u.host, portValue: u.port } } } })),
    })),
  };
}

const cors = toAny(TypeUrl.CorsPolicy, { allowOriginStringMatch: [{ exact: 'https://app.example.com' }], allowMethods: 'GET,POST', allowHeaders: 'x-token', exposeHeaders: 'x-upstream', maxAge: '600', allowCredentials: { value: true } });

describe('consistent hashing, locality failover, mirroring and CORS over loopback', () => {
  let rt: ProxyRuntime;
  const hashUps: TestUpstream[] = [];
  let primary: TestUpstream;
  let shadow: TestUpstream;
  let slowShadow: TestUpstream;
  let zoneA: TestUpstream;
  let zoneB: TestUpstream;
  let zoneC: TestUpstream;
  const routes = (): xds.RouteConfiguration[] => [
    b.routeConfiguration('r', [
      {
        ...b.vhost('svc', ['svc', 'svc:9080'], [
          b.routeTo('ring', { prefix: '/ring' }, { hashPolicy: [{ header: { headerName: 'x-user' } }] }),
          b.routeTo('maglev', { prefix: '/maglev' }, { hashPolicy: [{ header: { headerName: 'x-user' } }] }),
          b.routeTo('ring', { prefix: '/cookie' }, { hashPolicy: [{ cookie: { name: 'sticky', ttl: { seconds: 60 }, path: '/' } }] }),
          b.routeTo('primary', { prefix: '/mirror-slow' }, { requestMirrorPolicies: [{ cluster: 'slow-shadow' }, { cluster: 'dead-shadow' }] }),
          b.routeTo('primary', { prefix: '/mirror-none' }, { requestMirrorPolicies: [{ cluster: 'shadow', runtimeFraction: { defaultValue: { numerator: 0 } } }] }),
          b.routeTo('primary', { prefix: '/mirror' }, { requestMirrorPolicies: [{ cluster: 'shadow' }] }),
          b.routeTo('failover', { prefix: '/failover' }),
          b.routeTo('weighted', { prefix: '/weighted' }),
          { ...b.routeTo('primary', { prefix: '/cors' }), typedPerFilterConfig: { 'envoy.filters.http.cors': cors } },
        ]),
      },
    ]),
  ];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) hashUps.push(await startUpstream(`h${i}`, `127.0.3.${20 + i}`));
    primary = await startUpstream('primary', '127.0.3.30');
    shadow = await startUpstream('shadow', '127.0.3.31');
    slowShadow = await startUpstream('slow-shadow', '127.0.3.32', (req, res) => {
      req.resume();
      setTimeout(() => res.end('late'), 2000);
    });
    zoneA = await startUpstream('zone-a', '127.0.3.33');
    zoneB = await startUpstream('zone-b', '127.0.3.34');
    zoneC = await startUpstream('zone-c', '127.0.3.35');
    const hashEndpoints = hashUps.map((u): [string, number] => [u.host, u.port]);
    const outlier = { consecutive_5xx: { value: 1 }, interval: { seconds: 10 }, baseEjectionTime: { seconds: 30 } };
    rt = await startRuntime({
      clusters: [
        b.edsCluster('ring', { lbPolicy: 'RING_HASH', ringHashLbConfig: { minimumRingSize: { value: 1024 } } }),
        b.edsCluster('maglev', { lbPolicy: 'MAGLEV' }),
        b.edsCluster('primary'),
        b.edsCluster('shadow'),
        b.edsCluster('slow-shadow'),
        b.staticCluster('dead-shadow', [['127.0.3.36', 1]]),
        b.edsCluster('failover', { outlierDetection: outlier }),
        b.edsCluster('weighted', { commonLbConfig: { localityWeightedLbConfig: {} } }),
      ],
      endpoints: [
        b.assignment('ring', hashEndpoints),
        b.assignment('maglev', hashEndpoints),
        b.assignment('primary', [[primary.host, primary.port]]),
        b.assignment('shadow', [[shadow.host, shadow.port]]),
        b.assignment('slow-shadow', [[slowShadow.host, slowShadow.port]]),
        localities('failover', [
          ['a', 0, 1, [zoneA]],
          ['b', 1, 1, [zoneB]],
        ]),
        localities('weighted', [
          ['b', 0, 80, [zoneB]],
          ['c', 0, 20, [zoneC]],
        ]),
      ],
      listeners: [corsListener()],
      routes: routes(),
    });
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all([...hashUps, primary, shadow, slowShadow, zoneA, zoneB, zoneC].map((u) => u.close()));
  });

  const get = (path: string, headers: Record<string, string> = {}) => request(proxy, { path, headers: { host: 'svc', ...headers } });
  const users = Array.from({ length: 100 }, (_, i) => `user-${i}`);

  async function placement(path: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const u of users) out.set(u, (await get(path, { 'x-user': u })).body);
    return out;
  }

  it.each(['/ring', '/maglev'])('%s: a header key sticks to one endpoint and keys spread', async (path) => {
    const first = await placement(path);
    expect(await placement(path)).toEqual(first);
    expect(new Set(first.values()).size).toBeGreaterThanOrEqual(3);
  });

  it('ring hash: when one endpoint leaves, only its keys (and a few others) move', async () => {
    const before = await placement('/ring');
    const gone = hashUps[3];
    await applyConfig(rt, { endpoints: [b.assignment('ring', hashUps.slice(0, 3).map((u): [string, number] => [u.host, u.port]))] });
    const after = await placement('/ring');
    let stayed = 0;
    let others = 0;
    for (const u of users) {
      expect(after.get(u)).not.toBe(gone.name);
      if (before.get(u) === gone.name) continue;
      others++;
      if (after.get(u) === before.get(u)) stayed++;
    }
    // Envoy rescales the ring to keep its minimum size (256 -> 342 points per host): ~14% of the
    // other keys move with the new points; the rest stay.
    expect(stayed / others).toBeGreaterThanOrEqual(0.7);
    await applyConfig(rt, { endpoints: [b.assignment('ring', hashUps.map((u): [string, number] => [u.host, u.port]))] });
  });

  it('cookie: sets a generated cookie, then the cookie keeps the client on one endpoint', async () => {
    const r1 = await get('/cookie');
    const setCookie = r1.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^sticky="[0-9a-f]{16}"; Max-Age=60; Path=\/; HttpOnly$/);
    const cookie = setCookie.split(';')[0];
    for (let i = 0; i < 5; i++) {
      const r = await get('/cookie', { cookie });
      expect(r.body).toBe(r1.body);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });

  it('mirrors a copy with the -shadow host; the client sees only the primary', async () => {
    const res = await request(proxy, { method: 'POST', path: '/mirror/x', headers: { host: 'svc:9080', 'content-type': 'text/plain' }, body: 'payload' });
    expect(res).toMatchObject({ status: 200, body: 'primary' });
    const t0 = Date.now();
    while (!shadow.requests.length && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 20));
    expect(shadow.requests).toHaveLength(1);
    expect(shadow.requests[0]).toMatchObject({ method: 'POST', url: '/mirror/x' });
    expect(shadow.requests[0].headers.host).toBe('svc-shadow:9080');
    expect(shadow.requests[0].headers['content-length']).toBe('7');
    expect(primary.requests.at(-1)?.headers.host).toBe('svc:9080');
  });

  it('a slow or unreachable mirror neither delays nor fails the primary; 0% mirrors nothing', async () => {
    const t0 = Date.now();
    const res = await get('/mirror-slow');
    expect(res).toMatchObject({ status: 200, body: 'primary' });
    expect(Date.now() - t0).toBeLessThan(1000);
    const seen = shadow.requests.length;
    for (let i = 0; i < 5; i++) expect((await get('/mirror-none')).body).toBe('primary');
    await new Promise((r) => setTimeout(r, 100));
    expect(shadow.requests).toHaveLength(seen);
  });

  it('locality failover: priority 0 takes everything, then priority 1 once priority 0 is gone', async () => {
    for (let i = 0; i < 5; i++) expect((await get('/failover')).body).toBe('zone-a');
    // Priority 0 marked unhealthy by EDS: priority 1 takes the traffic at once.
    const eds = localities('failover', [
      ['a', 0, 1, [zoneA]],
      ['b', 1, 1, [zoneB]],
    ]);
    eds.endpoints![0].lbEndpoints[0].healthStatus = 'UNHEALTHY';
    await applyConfig(rt, { endpoints: [eds] });
    for (let i = 0; i < 5; i++) expect((await get('/failover')).body).toBe('zone-b');
    await applyConfig(rt, { endpoints: [localities('failover', [['a', 0, 1, [zoneA]], ['b', 1, 1, [zoneB]]])] });
    expect((await get('/failover')).body).toBe('zone-a');
    // Priority 0 stops answering: one failure ejects it (outlier detection), then priority 1 serves.
    await zoneA.close();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get('/failover')).body);
    expect(statuses.slice(1)).toEqual(Array(5).fill('zone-b'));
  });

  it('locality-weighted LB splits by locality weight (80/20)', async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const body = (await get('/weighted')).body;
      counts[body] = (counts[body] ?? 0) + 1;
    }
    expect(counts['zone-b']).toBeGreaterThan(140);
    expect(counts['zone-c']).toBeGreaterThan(20);
  });

  it('CORS: answers a preflight itself and adds headers to an allowed simple request', async () => {
    const before = primary.requests.length;
    const pre = await request(proxy, { method: 'OPTIONS', path: '/cors', headers: { host: 'svc', origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(200);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'x-token',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    });
    expect(primary.requests.length).toBe(before);
    const simple = await get('/cors', { origin: 'https://app.example.com' });
    expect(simple.body).toBe('primary');
    expect(simple.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-expose-headers': 'x-upstream', 'access-control-allow-credentials': 'true' });
    const other = await get('/cors', { origin: 'https://evil.example' });
    expect(other.body).toBe('primary');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(rt.stats.scope('http', 'lb').counter('cors.origin_invalid').value).toBe(1);
  });
});
