import type { DiscoveryRequest } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeControlPlane } from '../testing/fake-control-plane';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';
import { waitUntil } from '../testing/wait';
import { Agent } from './agent';
import { parseAgentOptions } from './options';

const IP = '127.0.0.20';
const is = (typeUrl: string) => (r: DiscoveryRequest) => r.typeUrl === typeUrl;
const ackOf = (typeUrl: string, nonce: string) => (r: DiscoveryRequest) => r.typeUrl === typeUrl && r.responseNonce === nonce;

describe('xDS client against a fake control plane', () => {
  const cp = new FakeControlPlane();
  let upstream: TestUpstream;
  let agent: Agent;
  let proxyPort: number;
  const logs: string[] = [];

  beforeAll(async () => {
    await cp.start();
    upstream = await startUpstream('reviews-v1', '127.0.0.21');
    const opts = parseAgentOptions({ ip: IP, pilot: cp.address, adminPort: '0', accessLog: 'off', workload: 'productpage-v1', inbound: ['http:9080=127.0.0.20:41234'] });
    if (!opts.ok) throw new Error(JSON.stringify(opts.errors));
    agent = new Agent(opts.value, { log: (m) => logs.push(m) });
    proxyPort = 15001 + Math.floor(Math.random() * 1000);
    await agent.start();
  });

  afterAll(async () => {
    await agent.stop();
    await cp.stop();
    await upstream.close();
  });

  const cluster = 'outbound|9080||reviews.default.svc.cluster.local';
  const routes = () => b.routeConfiguration('http_proxy', [b.vhost('reviews:9080', ['reviews:9080'], [b.routeTo(cluster)])]);

  it('subscribes CDS and LDS (wildcard), ACKs, then follows with EDS and RDS; serves once warm', async () => {
    const first = await cp.nextRequest(is(TypeUrl.Cluster), 5000, true);
    expect(first.node?.id).toBe(`sidecar~${IP}~productpage-v1.default~default.svc.cluster.local`);
    expect(first.node?.metadata?.MIZZEN_INBOUND).toContain('41234');
    expect(first.resourceNames).toEqual([]);
    await cp.nextRequest(is(TypeUrl.Listener), 5000, true);

    const edsReq = cp.nextRequest((r) => r.typeUrl === TypeUrl.ClusterLoadAssignment && r.resourceNames.includes(cluster));
    const n1 = cp.push(TypeUrl.Cluster, 'c1', b.asClusters([b.edsCluster(cluster)]));
    const ack = await cp.nextRequest(ackOf(TypeUrl.Cluster, n1));
    expect(ack.versionInfo).toBe('c1');
    expect(ack.errorDetail).toBeUndefined();
    await edsReq;
    expect(agent.runtime.clusters.warmingNames()).toEqual([cluster]);
    const n2 = cp.push(TypeUrl.ClusterLoadAssignment, 'e1', b.asEndpoints([b.assignment(cluster, [[upstream.host, upstream.port]])]));
    expect((await cp.nextRequest(ackOf(TypeUrl.ClusterLoadAssignment, n2))).versionInfo).toBe('e1');
    expect(agent.runtime.clusters.get(cluster)?.hosts()).toHaveLength(1);

    const rdsReq = cp.nextRequest((r) => r.typeUrl === TypeUrl.RouteConfiguration && r.resourceNames.includes('http_proxy'));
    const n3 = cp.push(TypeUrl.Listener, 'l1', b.asListeners([b.listener('outbound_http_proxy', IP, proxyPort, { rds: 'http_proxy' })]));
    expect((await cp.nextRequest(ackOf(TypeUrl.Listener, n3))).versionInfo).toBe('l1');
    await rdsReq;
    expect(agent.ready).toBe(false);
    expect(agent.runtime.listeners.warmingNames()).toEqual(['outbound_http_proxy']);
    const n4 = cp.push(TypeUrl.RouteConfiguration, 'r1', b.asRoutes([routes()]));
    await cp.nextRequest(ackOf(TypeUrl.RouteConfiguration, n4));
    await waitUntil(() => agent.ready);
    const res = await request({ host: IP, port: proxyPort }, { path: 'http://reviews:9080/reviews/1' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('reviews-v1');
    expect(upstream.requests.at(-1)?.url).toBe('/reviews/1');
  });

  it('NACKs an invalid response with the same nonce and the previous version, and keeps the old config', async () => {
    const bad = b.edsCluster(cluster, { lbPolicy: 'LOAD_BALANCING_POLICY_CONFIG' });
    const nonce = cp.push(TypeUrl.Cluster, 'c2', b.asClusters([bad]));
    const nack = await cp.nextRequest(ackOf(TypeUrl.Cluster, nonce));
    expect(nack.versionInfo).toBe('c1');
    expect(nack.errorDetail?.message).toContain(`CDS "${cluster}"`);
    expect(nack.errorDetail?.message).toContain('lbPolicy');
    const res = await request({ host: IP, port: proxyPort }, { path: 'http://reviews:9080/still' });
    expect(res.body).toBe('reviews-v1');
    expect(agent.runtime.stats.counter('cluster_manager.cds.update_rejected').value).toBe(1);
  });

  it('reconnects after the control plane restarts, resending the ACKed versions; serves meanwhile', async () => {
    await cp.stop();
    await waitUntil(() => !agent.client.connected);
    const during = await request({ host: IP, port: proxyPort }, { path: 'http://reviews:9080/offline' });
    expect(during.body).toBe('reviews-v1');
    const seen = cp.requests.length;
    await cp.start(cp.port);
    await waitUntil(() => cp.requests.length >= seen + 4, 15_000);
    const resent = cp.requests.slice(seen);
    expect(resent[0].node?.id).toContain('productpage-v1');
    expect(resent.find((r) => r.typeUrl === TypeUrl.Cluster)?.versionInfo).toBe('c1');
    expect(resent.find((r) => r.typeUrl === TypeUrl.Listener)?.versionInfo).toBe('l1');
    expect(resent.find((r) => r.typeUrl === TypeUrl.ClusterLoadAssignment)).toMatchObject({ versionInfo: 'e1', resourceNames: [cluster], responseNonce: '' });
    expect(resent.find((r) => r.typeUrl === TypeUrl.RouteConfiguration)).toMatchObject({ versionInfo: 'r1', resourceNames: ['http_proxy'] });
  });

  it('removes clusters and listeners missing from a state-of-the-world response', async () => {
    const unsubscribe = cp.nextRequest((r) => r.typeUrl === TypeUrl.ClusterLoadAssignment && r.resourceNames.length === 0);
    const n1 = cp.push(TypeUrl.Cluster, 'c3', []);
    await cp.nextRequest(ackOf(TypeUrl.Cluster, n1));
    await unsubscribe;
    const nc = await request({ host: IP, port: proxyPort }, { path: 'http://reviews:9080/x' });
    expect(nc.status).toBe(503);
    expect(agent.runtime.clusters.get(cluster)).toBeUndefined();
    const n2 = cp.push(TypeUrl.Listener, 'l2', []);
    await cp.nextRequest(ackOf(TypeUrl.Listener, n2));
    await waitUntil(() => agent.runtime.listeners.all().length === 0);
    await expect(request({ host: IP, port: proxyPort }, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
