import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../agent/agent';
import { parseAgentOptions } from '../agent/options';
import { FakeControlPlane } from '../testing/fake-control-plane';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.74';
const V1 = 'outbound|9080|v1|reviews.default.svc.cluster.local';
const V2 = 'outbound|9080|v2|reviews.default.svc.cluster.local';

/** `GET /explain` answers from the live config with the proxy's own matching code. */
describe('admin /explain', () => {
  const cp = new FakeControlPlane();
  let agent: Agent;
  let v1: TestUpstream;
  let v2: TestUpstream;
  let admin: { host: string; port: number };
  const explain = async (query: string) => {
    const res = await request(admin, { path: `/explain?${query}` });
    return { status: res.status, body: res.status === 200 ? (JSON.parse(res.body) as Record<string, unknown>) : res.body };
  };

  beforeAll(async () => {
    await cp.start();
    [v1, v2] = await Promise.all([startUpstream('v1', '127.0.0.75'), startUpstream('v2', '127.0.0.76')]);
    const opts = parseAgentOptions({ ip: IP, pilot: cp.address, adminPort: '0', accessLog: 'off', workload: 'productpage-v1' });
    if (!opts.ok) throw new Error(JSON.stringify(opts.errors));
    agent = new Agent(opts.value, { log: () => undefined });
    await agent.start();
    admin = { host: IP, port: agent.adminPort() };
    await cp.nextRequest(() => true, 5000, true);
    const jason = { prefix: '/', headers: [{ name: 'end-user', stringMatch: { exact: 'jason' } }] };
    cp.serveResources([
      ...b.asClusters([b.edsCluster(V1), b.edsCluster(V2)]),
      ...b.asEndpoints([b.assignment(V1, [[v1.host, v1.port]]), b.assignment(V2, [[v2.host, v2.port]])]),
      ...b.asListeners([b.listener('outbound_http_proxy', IP, 15001, { rds: 'http_proxy' })]),
      ...b.asRoutes([
        b.routeConfiguration('http_proxy', [
          b.vhost('reviews.default.svc.cluster.local:9080', ['reviews:9080', 'reviews.default.svc.cluster.local:9080'], [
            { ...b.routeTo(V2, jason), name: 'jason' },
            { match: { prefix: '/' }, route: { weightedClusters: { clusters: [{ name: V1, weight: { value: 80 } }, { name: V2, weight: { value: 20 } }] } }, name: 'split' },
          ]),
        ]),
      ]),
    ]);
    await waitUntil(() => agent.ready);
  });

  afterAll(async () => {
    await agent.stop();
    await cp.stop();
    await Promise.all([v1.close(), v2.close()]);
  });

  it('names the listener, virtual host, first matching route and the clusters with their hosts', async () => {
    const { status, body } = await explain(`url=${encodeURIComponent('http://reviews:9080/reviews/0')}&header=end-user:jason`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      listener: 'outbound_http_proxy',
      routeConfig: 'http_proxy',
      virtualHost: { name: 'reviews.default.svc.cluster.local:9080' },
      route: { name: 'jason', index: 0, match: 'path prefix "/" and header end-user exact "jason"' },
      action: { kind: 'route', clusters: [{ name: V2, weight: 1, percent: 100 }] },
      clusters: [{ name: V2, lbPolicy: 'ROUND_ROBIN', hosts: [{ address: `${v2.host}:${v2.port}`, health: 'UNKNOWN' }] }],
      verdict: `forwarded to cluster ${V2}`,
    });
  });

  it('falls through to the weighted route without the header', async () => {
    const { body } = await explain(`url=${encodeURIComponent('http://reviews:9080/reviews/0')}`);
    expect(body).toMatchObject({ route: { name: 'split', index: 1 }, action: { clusters: [{ name: V1, percent: 80 }, { name: V2, percent: 20 }] } });
    expect((body as { verdict: string }).verdict).toBe(`split over ${V1} (80), ${V2} (20)`);
  });

  it('explains a 404 for an unknown host and rejects a request without url, naming the parameter', async () => {
    expect((await explain('url=http://unknown:9080/')).body).toMatchObject({ verdict: 'no virtual host of http_proxy matches unknown:9080: 404 (NR)' });
    expect(await explain('method=GET')).toEqual({ status: 400, body: 'url: required (e.g. url=http://reviews:9080/reviews/0)\n' });
    expect((await explain('url=http://reviews:9080/&header=bad')).body).toBe('header: "bad" must be name:value\n');
  });

  it('the explanation agrees with what the proxy does', async () => {
    const res = await request({ host: IP, port: 15001 }, { path: '/reviews/0', headers: { host: 'reviews:9080', 'end-user': 'jason' } });
    expect(res.body).toContain('v2');
  });
});
