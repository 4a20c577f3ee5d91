import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type RunningProcess, freePort, spawnProcess } from '@mizzen/testkit';
import type { DiscoveryRequest } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeControlPlane, type PushedResource } from '../testing/fake-control-plane';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

/** The built proxy (`npm run build`): worker processes re-execute it. */
const MAIN = path.resolve(__dirname, '../../dist/main.js');
const IP = '127.0.0.230';
const CLUSTER = 'outbound|9080||reviews.default.svc.cluster.local';

const getText = (port: number, p: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    http.get({ host: IP, port, path: p, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

/** `/stats` as a name -> value map. */
async function stats(adminPort: number): Promise<Map<string, number>> {
  const { body } = await getText(adminPort, '/stats');
  return new Map(body.trim().split('\n').map((l) => [l.slice(0, l.lastIndexOf(':')), Number(l.slice(l.lastIndexOf(':') + 1))]));
}

interface ServerInfo {
  concurrency: number;
  workers: Array<{ id: number; pid?: number; ready: boolean; restarts: number }>;
}

describe.skipIf(!fs.existsSync(MAIN))('--concurrency 2: worker processes (real proxy process)', () => {
  const cp = new FakeControlPlane();
  let proxy: RunningProcess;
  let v1: TestUpstream;
  let v2: TestUpstream;
  let adminPort: number;
  let port: number;
  const config = new Map<string, { version: string; resources: PushedResource[] }>();
  const routesTo = (u: TestUpstream): PushedResource[] => b.asRoutes([b.routeConfiguration('http_proxy', [b.vhost('reviews', ['*'], [b.routeTo(`${CLUSTER}-${u.name}`)])])]);
  /** Sends `n` requests at once; returns the bodies. */
  const burst = async (n: number): Promise<string[]> => {
    const replies = await Promise.all(Array.from({ length: n }, () => request({ host: IP, port }, { path: '/reviews/1' })));
    return replies.map((r) => `${r.status} ${r.body}`);
  };
  const workerCx = (s: Map<string, number>, id: number): number => s.get(`server.worker_${id}.downstream_cx_total`) ?? 0;
  const serverInfo = async (): Promise<ServerInfo> => JSON.parse((await getText(adminPort, '/server_info')).body) as ServerInfo;

  beforeAll(async () => {
    await cp.start();
    v1 = await startUpstream('v1', '127.0.0.231');
    v2 = await startUpstream('v2', '127.0.0.231');
    adminPort = await freePort(IP);
    port = await freePort(IP);
    config.set(TypeUrl.Cluster, { version: 'c1', resources: b.asClusters([b.edsCluster(`${CLUSTER}-v1`), b.edsCluster(`${CLUSTER}-v2`)]) });
    config.set(TypeUrl.ClusterLoadAssignment, { version: 'e1', resources: b.asEndpoints([b.assignment(`${CLUSTER}-v1`, [[v1.host, v1.port]]), b.assignment(`${CLUSTER}-v2`, [[v2.host, v2.port]])]) });
    config.set(TypeUrl.Listener, { version: 'l1', resources: b.asListeners([b.listener('outbound_http', IP, port, { rds: 'http_proxy' })]) });
    config.set(TypeUrl.RouteConfiguration, { version: 'r1', resources: routesTo(v1) });
    // Each type's first request on a stream gets the current config of that type.
    cp.onRequest = (req: DiscoveryRequest) => {
      const c = config.get(req.typeUrl);
      if (c && req.responseNonce === '') cp.push(req.typeUrl, c.version, c.resources);
    };
    proxy = await spawnProcess(process.execPath, [MAIN, '--ip', IP, '--pilot', cp.address, '--admin-port', String(adminPort), '--access-log', 'off', '--workload', 'workers-test', '--concurrency', '2'], {
      name: 'proxy',
      readyLine: /^proxy ready$/,
      readyTimeoutMs: 30_000,
    });
  }, 40_000);

  afterAll(async () => {
    await proxy?.stop();
    await cp.stop();
    await v1?.close();
    await v2?.close();
  });

  it('is ready once both workers bound; prints the readiness line once; shows the workers', async () => {
    expect((await getText(adminPort, '/ready')).body).toBe('LIVE\n');
    const info = await serverInfo();
    expect(info.concurrency).toBe(2);
    expect(info.workers.map((w) => w.id)).toEqual([0, 1]);
    expect(info.workers.every((w) => w.ready && w.pid && w.pid !== proxy.pid)).toBe(true);
    expect(new Set(info.workers.map((w) => w.pid)).size).toBe(2);
    expect(proxy.output().match(/^proxy ready$/gm)).toHaveLength(1);
  });

  it('both workers accept connections; /stats sums traffic over workers and counts config once', async () => {
    const bodies: string[] = [];
    let s = await stats(adminPort);
    for (let round = 0; round < 50 && !(workerCx(s, 0) > 0 && workerCx(s, 1) > 0); round++) {
      bodies.push(...(await burst(20)));
      s = await stats(adminPort);
    }
    expect(workerCx(s, 0)).toBeGreaterThan(0);
    expect(workerCx(s, 1)).toBeGreaterThan(0);
    expect(new Set(bodies)).toEqual(new Set(['200 v1']));
    // Every request was one connection (no keep-alive): the workers' counts add up to them.
    expect(workerCx(s, 0) + workerCx(s, 1)).toBe(bodies.length);
    expect(s.get(`listener.${IP}_${port}.downstream_cx_total`)).toBe(bodies.length);
    expect(s.get(`cluster.${CLUSTER}-v1.upstream_rq_total`)).toBe(bodies.length);
    expect(s.get(`cluster.${CLUSTER}-v1.upstream_rq_200`)).toBe(bodies.length);
    expect(v1.requests).toHaveLength(bodies.length);
    // Config stats come from the primary alone, not once per process.
    expect(s.get('cluster_manager.cds.update_success')).toBe(1);
    expect(s.get('listener_manager.lds.update_success')).toBe(1);
    expect(s.get(`cluster.${CLUSTER}-v1.membership_total`)).toBe(1);
    const prom = (await getText(adminPort, '/stats/prometheus')).body;
    expect(prom).toContain(`envoy_cluster_upstream_rq{envoy_response_code="200",envoy_cluster_name="${CLUSTER}-v1"} ${bodies.length}`);
  });

  it('an RDS update reaches every worker', async () => {
    config.set(TypeUrl.RouteConfiguration, { version: 'r2', resources: routesTo(v2) });
    const nonce = cp.push(TypeUrl.RouteConfiguration, 'r2', routesTo(v2));
    await cp.nextRequest((r) => r.typeUrl === TypeUrl.RouteConfiguration && r.responseNonce === nonce, 10_000, true);
    // The workers apply it just after the primary ACKed: wait until answers are all v2 ...
    for (let round = 0; round < 100 && !(await burst(10)).every((r) => r === '200 v2'); round++) await new Promise((r) => setTimeout(r, 20));
    // ... then every worker, each having served again, answers v2 only (one that missed it says v1).
    const before = await stats(adminPort);
    const bodies = new Set<string>();
    let s = before;
    for (let round = 0; round < 50 && !(workerCx(s, 0) > workerCx(before, 0) && workerCx(s, 1) > workerCx(before, 1)); round++) {
      for (const r of await burst(20)) bodies.add(r);
      s = await stats(adminPort);
    }
    expect(workerCx(s, 0)).toBeGreaterThan(workerCx(before, 0));
    expect(workerCx(s, 1)).toBeGreaterThan(workerCx(before, 1));
    expect(bodies).toEqual(new Set(['200 v2']));
  });

  it('a killed worker is replaced; the new one gets the current config and serves', async () => {
    const old = (await serverInfo()).workers[0];
    process.kill(old.pid as number, 'SIGKILL');
    let info = await serverInfo();
    for (let i = 0; i < 200 && !(info.workers[0].pid !== old.pid && info.workers[0].ready); i++) {
      await new Promise((r) => setTimeout(r, 50));
      info = await serverInfo();
    }
    expect(info.workers[0]).toMatchObject({ ready: true, restarts: old.restarts + 1 });
    expect(info.workers[0].pid).not.toBe(old.pid);
    expect(proxy.output()).toMatch(/worker 0 \(pid \d+\) exited \(SIGKILL\)/);
    // The new process counts from zero; keep sending until it accepted some connections.
    const bodies = new Set<string>();
    let s = await stats(adminPort);
    for (let round = 0; round < 50 && !(workerCx(s, 0) > 0); round++) {
      for (const r of await burst(20)) bodies.add(r);
      s = await stats(adminPort);
    }
    expect(workerCx(s, 0)).toBeGreaterThan(0);
    expect(bodies).toEqual(new Set(['200 v2']));
    expect((await getText(adminPort, '/ready')).body).toBe('LIVE\n');
  });
});
