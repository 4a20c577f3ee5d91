import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { listenerResource } from '../config/resources';
import { applyConfig, startRuntime, translate } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.75';

describe('listener lifecycle: warming, in-place updates, draining', () => {
  let rt: ProxyRuntime;
  let v1: TestUpstream;
  let v2: TestUpstream;
  let slow: TestUpstream;

  beforeAll(async () => {
    v1 = await startUpstream('v1', '127.0.0.76');
    v2 = await startUpstream('v2', '127.0.0.77');
    slow = await startUpstream('slow', '127.0.0.78', (req, res) => void setTimeout(() => res.end('slow done'), 300));
    rt = await startRuntime({
      clusters: [b.staticCluster('v1', [[v1.host, v1.port]]), b.staticCluster('v2', [[v2.host, v2.port]]), b.staticCluster('slow', [[slow.host, slow.port]])],
    });
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all([v1, v2, slow].map((u) => u.close()));
  });

  const inline = (cluster: string) => ({ inline: b.routeConfiguration('inbound', [b.vhost('all', ['*'], [b.routeTo(cluster)])]) });

  it('a listener warms until its RDS route configuration arrives, then binds', async () => {
    rt.listeners.apply(translate(listenerResource, [b.listener('rds', IP, 15010, { rds: 'late' })]));
    expect(rt.listeners.warmingNames()).toEqual(['rds']);
    expect(rt.listeners.routeConfigNames()).toEqual(['late']);
    await expect(request({ host: IP, port: 15010 })).rejects.toThrow(/ECONNREFUSED/);
    await applyConfig(rt, { routes: [b.routeConfiguration('late', [b.vhost('all', ['*'], [b.routeTo('v1')])])] });
    expect((await request({ host: IP, port: 15010 })).body).toBe('v1');
  });

  it('an update at the same address swaps config without dropping keep-alive connections', async () => {
    await applyConfig(rt, { listeners: [b.listener('in', IP, 15011, inline('v1'))] });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const accepted = rt.stats.scope('listener', `${IP}_15011`).counter('downstream_cx_total');
    expect((await request({ host: IP, port: 15011 }, { agent })).body).toBe('v1');
    await applyConfig(rt, { listeners: [b.listener('in', IP, 15011, inline('v2'))] });
    expect((await request({ host: IP, port: 15011 }, { agent })).body).toBe('v2');
    expect(accepted.value).toBe(1);
    agent.destroy();
  });

  it('an update to a route configuration not yet received keeps the old version serving', async () => {
    rt.listeners.apply(translate(listenerResource, [b.listener('in', IP, 15011, { rds: 'next' })]));
    expect(rt.listeners.warmingNames()).toEqual(['in']);
    expect((await request({ host: IP, port: 15011 })).body).toBe('v2');
    await applyConfig(rt, { routes: [b.routeConfiguration('next', [b.vhost('all', ['*'], [b.routeTo('v1')])])] });
    expect((await request({ host: IP, port: 15011 })).body).toBe('v1');
  });

  it('a removed listener drains: in-flight requests finish with connection: close, new connections are refused', async () => {
    await applyConfig(rt, { listeners: [b.listener('drain', IP, 15012, inline('slow'))] });
    const inflight = request({ host: IP, port: 15012 });
    await waitUntil(() => slow.requests.length > 0);
    rt.listeners.apply(new Map());
    const res = await inflight;
    expect(res).toMatchObject({ status: 200, body: 'slow done' });
    expect(res.headers.connection).toBe('close');
    await waitUntil(() => rt.listeners.all().length === 0);
    await expect(request({ host: IP, port: 15012 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
