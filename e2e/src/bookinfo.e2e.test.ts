import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { Bus } from '@mizzen/bus';
import { TrustBucket } from '@mizzen/contracts';
import { spawnProcess, type RunningProcess, waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPage, versionsSeen } from './support/bookinfo-page';
import { REPO, TestMesh } from './support/mesh';

const NET = path.join(REPO, 'samples/bookinfo/networking');
const JASON = { cookie: 'user=jason' };

/** Polls until `n` consecutive pages satisfy `ok`, within `timeoutMs` (the convergence deadline). */
async function converges(gateway: string, ok: (v: Awaited<ReturnType<typeof fetchPage>>) => boolean, timeoutMs: number, headers = {}): Promise<void> {
  let streak = 0;
  await waitFor(
    async () => {
      const v = await fetchPage(gateway, headers);
      streak = ok(v) ? streak + 1 : 0;
      return streak >= 5;
    },
    { timeoutMs, intervalMs: 10, message: 'routing did not converge' },
  );
}

describe('Bookinfo on a local mesh (meshctl up, real processes)', () => {
  let mesh: TestMesh;
  const restartedPilots: RunningProcess[] = [];

  beforeAll(async () => {
    mesh = await TestMesh.start({ ipBlock: '127.77.1', gatewayIp: '127.77.1.200' });
  });

  afterAll(async () => {
    for (const p of restartedPilots) await p.stop();
    await mesh?.stop();
  });

  const apply = async (file: string) => {
    const r = await mesh.meshctl(['apply', '-f', path.join(NET, file)]);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };

  it('shows reviews from all three versions through the gateway', async () => {
    const seen = await versionsSeen(mesh.gateway, 30);
    expect([...seen.keys()].sort()).toEqual(['v1', 'v2', 'v3']);
    const page = await fetchPage(mesh.gateway);
    expect(page.status).toBe(200);
  });

  it('meshctl proxy-config shows a sidecar\'s clusters, listeners, routes and endpoints', async () => {
    const pc = async (view: string) => {
      const r = await mesh.meshctl(['proxy-config', view, 'productpage-v1']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').map((l) => l.trim().split(/\s{3,}/));
    };
    expect(await pc('cluster')).toContainEqual(['reviews.default.svc.cluster.local', '9080', '-', 'outbound', 'EDS']);
    expect((await pc('listener')).some((r) => r[1] === '15001' && r[3] === 'Route: http_proxy')).toBe(true);
    expect((await pc('route')).some((r) => r[0] === 'http_proxy' && r[1] === 'reviews.default.svc.cluster.local:9080')).toBe(true);
    const reviews = (await pc('endpoint')).filter((r) => r[3] === 'outbound|9080||reviews.default.svc.cluster.local');
    expect(reviews.map((r) => r[1])).toEqual(['HEALTHY', 'HEALTHY', 'HEALTHY']);
  });

  it('runs Citadel, which publishes a trust bundle with its root', async () => {
    const bus = await Bus.connect({ url: mesh.nats.url });
    try {
      const kv = await bus.openKv(TrustBucket.name, { history: TrustBucket.history });
      const entry = await kv.get(TrustBucket.bundleKey);
      const bundle = TrustBucket.value(entry?.value);
      expect(bundle.ok).toBe(true);
      if (bundle.ok) expect(new X509Certificate(bundle.value.roots[0].pem).ca).toBe(true);
    } finally {
      await bus.close();
    }
  });

  it('applies Istio request routing: all v1, then jason -> v2, then 50/50 v1/v3, each within 2 s', async () => {
    await apply('virtual-service-all-v1.yaml');
    await converges(mesh.gateway, (v) => v.reviews === 'v1' && v.stars === 'none', 2000);

    await apply('virtual-service-reviews-test-v2.yaml');
    await converges(mesh.gateway, (v) => v.reviews === 'v2' && v.stars === 'black', 2000, JASON);
    expect((await versionsSeen(mesh.gateway, 10)).get('v1')).toBe(10);
    const explained = await mesh.meshctl(['explain', 'productpage-v1', 'http://reviews:9080/reviews/0', '-H', 'end-user: jason']);
    expect(explained.stdout).toMatch(/route +#0: .*header end-user exact "jason"/);
    expect(explained.stdout).toContain('=> forwarded to cluster outbound|9080|v2|reviews.default.svc.cluster.local');
    expect((await mesh.meshctl(['explain', 'productpage-v1', 'http://reviews:9080/reviews/0'])).stdout).toContain('=> forwarded to cluster outbound|9080|v1|reviews.default.svc.cluster.local');

    await apply('virtual-service-reviews-50-v3.yaml');
    await converges(mesh.gateway, (v) => v.reviews === 'v1' || v.reviews === 'v3', 2000);
    const seen = await versionsSeen(mesh.gateway, 60);
    expect(seen.get('v2')).toBeUndefined();
    expect(seen.get('v1')).toBeGreaterThan(10);
    expect(seen.get('v3')).toBeGreaterThan(10);
    expect((await fetchPage(mesh.gateway, JASON)).reviews).not.toBe('v2');
  });

  it('rejects an invalid VirtualService with its field path and leaves routing unchanged', async () => {
    const bad = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {subset: v2}
`;
    const r = await mesh.meshctl(['apply', '-f', '-'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.http[0].route[0].destination.host');
    const seen = await versionsSeen(mesh.gateway, 30);
    expect(seen.get('v2')).toBeUndefined();
    expect((seen.get('v1') ?? 0) + (seen.get('v3') ?? 0)).toBe(30);
    const get = await mesh.meshctl(['get', 'vs', 'reviews', '-o', 'json']);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('"subset": "v3"');
  });

  it('keeps traffic flowing while Pilot is down; after a restart proxies resync and new config applies', async () => {
    const pilotPid = mesh.state().pids.pilot;
    expect(pilotPid).toBeGreaterThan(0);
    process.kill(pilotPid as number, 'SIGKILL');
    const deadline = Date.now() + 3000;
    let requests = 0;
    while (Date.now() < deadline) {
      const v = await fetchPage(mesh.gateway);
      expect(v.status).toBe(200);
      expect(['v1', 'v3']).toContain(v.reviews);
      requests++;
    }
    expect(requests).toBeGreaterThan(5);
    const pilot = await spawnProcess(
      process.execPath,
      [path.join(REPO, 'apps/pilot/dist/main.js'), '--nats', mesh.nats.url, '--grpc-port', String(mesh.pilotGrpcPort), '--secure-grpc-port', String(mesh.pilotSecurePort), '--debug-port', String(mesh.pilotDebugPort)],
      { name: 'pilot-restarted', readyLine: /pilot ready/, readyTimeoutMs: 20_000 },
    );
    restartedPilots.push(pilot);
    // every sidecar and the gateway reconnect (backoff) and ACK the current config
    await waitFor(
      async () => {
        const r = await mesh.meshctl(['proxy-status']);
        const rows = r.stdout.trim().split('\n').slice(1);
        return rows.length >= 7 && rows.every((row) => !/STALE|NACKED|NOT SENT/.test(row.split(/\s+/).slice(2, 4).join(' ')));
      },
      { timeoutMs: 30_000, intervalMs: 250, message: 'proxies did not resync with the restarted Pilot' },
    );
    await apply('virtual-service-reviews-v3.yaml');
    await converges(mesh.gateway, (v) => v.reviews === 'v3' && v.stars === 'red', 2000);
  });

  it('deletes config with meshctl delete, restoring the default round robin', async () => {
    const r = await mesh.meshctl(['delete', '-f', path.join(NET, 'virtual-service-reviews-v3.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deleted');
    await waitFor(async () => (await versionsSeen(mesh.gateway, 20)).size === 3, { timeoutMs: 5000, message: 'all versions not back' });
    const missing = await mesh.meshctl(['get', 'vs', 'reviews']);
    expect(missing.code).toBe(1);
  });

  const applyYaml = async (yaml: string) => {
    const r = await mesh.meshctl(['apply', '-f', '-'], yaml);
    expect(r.code, r.stderr).toBe(0);
  };
  const page = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${mesh.gateway}/productpage`, { headers });
    return { status: res.status, html: await res.text() };
  };

  it("Istio's fault injection task: an HTTP 500 abort and a 7 s delay for jason", async () => {
    await apply('virtual-service-all-v1.yaml');
    await apply('virtual-service-reviews-test-v2.yaml');
    await converges(mesh.gateway, (v) => v.reviews === 'v2', 10_000, JASON);
    await apply('virtual-service-ratings-test-abort.yaml');
    await waitFor(async () => (await page(JASON)).html.includes('Ratings service is currently unavailable'), { timeoutMs: 5000, message: 'abort not applied' });
    expect((await page()).html).not.toContain('Ratings service is currently unavailable');
    await apply('virtual-service-ratings-test-delay.yaml');
    // reviews v2 waits for ratings up to 10 s, productpage gives reviews 3 s (twice): the page reports reviews unavailable
    await waitFor(
      async () => {
        const started = Date.now();
        const p = await page(JASON);
        return p.html.includes('Sorry, product reviews are currently unavailable') && Date.now() - started >= 5000;
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'delay not applied' },
    );
  });

  it("Istio's request timeouts task: a 0.5 s route timeout against a 2 s ratings delay", async () => {
    await applyYaml(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {percentage: {value: 100}, fixedDelay: 2s}}
    route: [{destination: {host: ratings, subset: v1}}]
`);
    await applyYaml(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v2}}]
`);
    await waitFor(
      async () => {
        const started = Date.now();
        const p = await page();
        return p.html.includes('data-reviews-version="v2"') && Date.now() - started >= 1900;
      },
      { timeoutMs: 10_000, intervalMs: 100, message: 'ratings delay not applied' },
    );
    await applyYaml(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v2}}]
    timeout: 0.5s
`);
    await waitFor(
      async () => {
        const started = Date.now();
        const p = await page();
        return p.html.includes('Sorry, product reviews are currently unavailable') && Date.now() - started < 1900;
      },
      { timeoutMs: 10_000, intervalMs: 100, message: 'route timeout not applied' },
    );
  });
});
