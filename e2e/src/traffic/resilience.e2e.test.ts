import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { direct, HttpbinMesh, podCounts, type Reply } from './support/httpbin-mesh';

// Istio's resilience tasks on the httpbin sample (sleep -> its sidecar -> httpbin sidecar -> app):
// circuit breaking, retries and outlier detection, with real processes started by `meshctl up`.
const BLOCK = '127.77.4';
const HTTPBIN = 'http://httpbin:8000';
const CLUSTER = 'cluster.outbound|8000||httpbin.default.svc.cluster.local';

describe('resilience: circuit breaking, retries, outlier detection (httpbin)', () => {
  let mesh: HttpbinMesh;

  beforeAll(async () => {
    mesh = await HttpbinMesh.start({ ipBlock: BLOCK, gatewayIp: `${BLOCK}.100` });
  });

  afterAll(async () => {
    await mesh?.stop();
  });

  it('retries a 503 up to the VirtualService attempts (retryOn 5xx), and no further', async () => {
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - route: [{destination: {host: httpbin, subset: v1}}]
    retries: {attempts: 3, retryOn: 5xx}
`);
    await mesh.waitForConfig(mesh.sleepIp, 'the retry policy', (d) => d.has('numRetries', 3));
    const ok = await mesh.fetch(`${HTTPBIN}/flaky/3/vs-ok`);
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ attempt: 4, pod: 'httpbin-v1' });
    const exhausted = await mesh.fetch(`${HTTPBIN}/flaky/4/vs-exhausted`);
    expect(exhausted.status).toBe(503);
    expect(await attemptsSeen('vs-exhausted')).toBe(4);
  });

  it('retries a 503 twice without a retry policy (the mesh default of 2 attempts)', async () => {
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - route: [{destination: {host: httpbin, subset: v1}}]
`);
    await mesh.waitForConfig(mesh.sleepIp, 'the default retry policy', (d) => !d.has('numRetries', 3) && d.has('numRetries', 2));
    const ok = await mesh.fetch(`${HTTPBIN}/flaky/2/default-ok`);
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ attempt: 3 });
    const exhausted = await mesh.fetch(`${HTTPBIN}/flaky/3/default-exhausted`);
    expect(exhausted.status).toBe(503);
    expect(await attemptsSeen('default-exhausted')).toBe(3);
  });

  it('trips the circuit breaker under concurrent load: some 503 UO, the rest 200 (Istio task)', async () => {
    await mesh.remove(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
`);
    // Istio's circuit-breaking task DestinationRule (outlier detection left out so that the
    // overflow is the only cause of 503s).
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`);
    await mesh.waitForConfig(mesh.sleepIp, 'the circuit breaker', (d) => d.has('maxPendingRequests', 1));
    const overflowBefore = (await mesh.stats(mesh.sleepIp)).get(`${CLUSTER}.upstream_rq_pending_overflow`) ?? 0;
    // 8 concurrent requests of 1 s each: one connection, one pending request, the rest overflow.
    const replies: Reply[] = await Promise.all(Array.from({ length: 8 }, () => mesh.fetch(`${HTTPBIN}/delay/1`)));
    const statuses = replies.map((r) => r.status);
    const rejected = replies.filter((r) => r.status === 503);
    expect(statuses.filter((s) => s === 200).length, statuses.join(',')).toBeGreaterThanOrEqual(1);
    expect(rejected.length, statuses.join(',')).toBeGreaterThanOrEqual(1);
    expect(rejected.length + statuses.filter((s) => s === 200).length).toBe(8);
    for (const r of rejected) expect(r.headers['x-envoy-overloaded']).toBe('true');
    const overflow = ((await mesh.stats(mesh.sleepIp)).get(`${CLUSTER}.upstream_rq_pending_overflow`) ?? 0) - overflowBefore;
    expect(overflow).toBeGreaterThanOrEqual(rejected.length);
    await waitFor(() => (mesh.log('sleep-sidecar').match(/"GET \/delay\/1 HTTP\/1\.1" 503 UO /g)?.length ?? 0) >= rejected.length, {
      timeoutMs: 5000,
      intervalMs: 100,
      message: 'the sleep sidecar access log has no 503 UO lines',
    });
  });

  it("trips the server sidecar's inbound circuit breaker (Sidecar inboundConnectionPool): 503 UO from httpbin's side", async () => {
    // No client-side limits, and no retries, so every 503 is the inbound overflow of httpbin-v1.
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - route: [{destination: {host: httpbin, subset: v1}}]
    retries: {attempts: 0}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: httpbin-inbound-pool}
spec:
  workloadSelector: {labels: {app: httpbin, version: v1}}
  inboundConnectionPool:
    tcp: {maxConnections: 1}
    http: {http1MaxPendingRequests: 1}
`);
    const v1 = mesh.podIp('v1');
    await mesh.waitForConfig(v1, 'the inbound circuit breaker', (d) => d.has('maxPendingRequests', 1));
    await mesh.waitForConfig(mesh.sleepIp, 'the v1 route without client limits', (d) => !d.has('maxPendingRequests', 1) && d.has('cluster', 'outbound|8000|v1|httpbin.default.svc.cluster.local'));
    try {
      const inboundOverflow = async () => [...(await mesh.stats(v1)).entries()].filter(([k]) => k.startsWith('cluster.inbound|') && k.endsWith('.upstream_rq_pending_overflow')).reduce((n, [, v]) => n + v, 0);
      const before = await inboundOverflow();
      // 8 concurrent requests of 1 s each to httpbin-v1: one connection to the app, one pending, the rest overflow.
      const replies: Reply[] = await Promise.all(Array.from({ length: 8 }, () => mesh.fetch(`${HTTPBIN}/delay/1`)));
      const statuses = replies.map((r) => r.status);
      const rejected = replies.filter((r) => r.status === 503);
      expect(statuses.filter((s) => s === 200).length, statuses.join(',')).toBeGreaterThanOrEqual(1);
      expect(rejected.length, statuses.join(',')).toBeGreaterThanOrEqual(1);
      expect(rejected.length + statuses.filter((s) => s === 200).length).toBe(8);
      for (const r of rejected) expect(r.headers['x-envoy-overloaded']).toBe('true');
      expect((await inboundOverflow()) - before).toBeGreaterThanOrEqual(rejected.length);
      // The sleep sidecar's own cluster has no limit: nothing overflowed on the client side.
      expect((await mesh.stats(mesh.sleepIp)).get(`${CLUSTER.replace('||', '|v1|')}.upstream_rq_pending_overflow`) ?? 0).toBe(0);
    } finally {
      await mesh.remove(`apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: httpbin-inbound-pool}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
`);
    }
  });

  it('ejects the endpoint that answers 5xx (consecutive5xxErrors) and sends traffic to the healthy one', async () => {
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 1m, maxEjectionPercent: 100}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`);
    await mesh.waitForConfig(mesh.sleepIp, 'outlier detection', (d) => (d.has('consecutive5xx', 2) || d.has('consecutive_5xx', 2)) && !d.has('maxPendingRequests', 1));
    expect((await direct(mesh.appUrl('v2', '/admin/fault?status=500'), 'PUT')).status).toBe(200);
    try {
      // Round robin over both pods: v2's 500s count until it is ejected, then only v1 answers.
      // At most 40 rounds of 4 requests, and at most 15 s.
      const seen: Reply[] = [];
      const deadline = Date.now() + 15_000;
      const settled = () => {
        const tail = seen.slice(-12);
        return tail.length === 12 && tail.every((r) => r.status === 200 && r.headers['x-httpbin-pod'] === 'httpbin-v1');
      };
      for (let round = 0; round < 40 && Date.now() < deadline && !settled(); round++) {
        seen.push(...(await Promise.all(Array.from({ length: 4 }, () => mesh.fetch(`${HTTPBIN}/get`)))));
      }
      expect(settled(), JSON.stringify(podCounts(seen))).toBe(true);
      expect(seen.filter((r) => r.status === 500 && r.headers['x-httpbin-pod'] === 'httpbin-v2').length).toBeGreaterThanOrEqual(2);
      const stats = await mesh.stats(mesh.sleepIp);
      expect(stats.get(`${CLUSTER}.outlier_detection.ejections_enforced_total`) ?? 0).toBeGreaterThanOrEqual(1);
      const clusters = await (await fetch(`http://${mesh.sleepIp}:15000/clusters`)).text();
      expect(clusters).toMatch(new RegExp(`outbound\\|8000\\|\\|httpbin\\.default\\.svc\\.cluster\\.local::${mesh.podIp('v2').replaceAll('.', '\\.')}:8000::health_flags::/failed_outlier_check`));
    } finally {
      await direct(mesh.appUrl('v2', '/admin/fault'), 'DELETE');
    }
  });

  /** How many requests httpbin-v1's app received for a `/flaky/<n>/<key>` key. */
  async function attemptsSeen(key: string): Promise<number> {
    const log = (await direct(mesh.appUrl('v1', '/admin/requests'))).json as { requests: Array<{ path: string }> };
    return log.requests.filter((r) => r.path.endsWith(`/${key}`)).length;
  }
});
