import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { direct, HTTP_PORT, APP_OFFSET, HttpbinMesh, podCounts, type Reply } from './support/httpbin-mesh';

// Where requests go: consistent-hash stickiness, mirroring (Istio's task) and locality failover,
// on the httpbin sample started by `meshctl up`, plus (for locality) workloads started here with
// the proxy's --locality, since workloads.yaml has no locality field.
const BLOCK = '127.77.5';
const HTTPBIN = `http://httpbin:${HTTP_PORT}`;
const SUBSETS = `  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;

describe('load balancing: consistent hash, mirroring, locality failover (httpbin)', () => {
  let mesh: HttpbinMesh;

  beforeAll(async () => {
    mesh = await HttpbinMesh.start({ ipBlock: BLOCK, gatewayIp: `${BLOCK}.100` });
  });

  afterAll(async () => {
    await mesh?.stop();
  });

  it('sends every request with the same header value to the same pod (consistentHash httpHeaderName)', async () => {
    // With a VirtualService route to the host. (Without one, Pilot's default route carries no
    // hash policy, unlike Istio's: the ring hash then has no key and spreads requests.)
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  trafficPolicy:
    loadBalancer:
      consistentHash: {httpHeaderName: x-user}
${SUBSETS}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - route: [{destination: {host: httpbin}}]
`);
    await mesh.waitForConfig(mesh.sleepIp, 'the hash policy', (d) => d.values('headerName').includes('x-user'));
    const podsByUser = new Map<string, Set<string>>();
    for (let u = 0; u < 20; u++) {
      for (let i = 0; i < 3; i++) {
        const r = await mesh.fetch(`${HTTPBIN}/get`, { headers: { 'x-user': `user-${u}` } });
        expect(r.status).toBe(200);
        const pods = podsByUser.get(`user-${u}`) ?? new Set<string>();
        pods.add(r.headers['x-httpbin-pod']);
        podsByUser.set(`user-${u}`, pods);
      }
    }
    for (const [user, pods] of podsByUser) expect([...pods], user).toHaveLength(1);
    const used = new Set([...podsByUser.values()].flatMap((p) => [...p]));
    expect([...used].sort()).toEqual(['httpbin-v1', 'httpbin-v2']);
  });

  it('mirrors v1 traffic to v2 with the -shadow host and ignores v2 answers (Istio mirroring task)', async () => {
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
${SUBSETS}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - route:
    - {destination: {host: httpbin, subset: v1}, weight: 100}
    mirror: {host: httpbin, subset: v2}
    mirrorPercentage: {value: 100.0}
`);
    await mesh.waitForConfig(mesh.sleepIp, 'the mirror policy', (d) => d.values('requestMirrorPolicies').some((p) => Array.isArray(p) && p.length > 0));
    for (const v of ['v1', 'v2'] as const) await direct(mesh.appUrl(v, '/admin/requests'), 'DELETE');
    // v2 fails everything it gets: the client must not notice.
    await direct(mesh.appUrl('v2', '/admin/fault?status=500'), 'PUT');
    try {
      const replies: Reply[] = [];
      for (let i = 0; i < 5; i++) replies.push(await mesh.fetch(`${HTTPBIN}/headers`, { headers: { 'x-mirror-probe': String(i) } }));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(podCounts(replies)).toEqual({ 'httpbin-v1': 5 });
      let shadowed: Array<{ path: string; host: string; headers: Record<string, string> }> = [];
      await waitFor(
        async () => {
          shadowed = ((await direct(mesh.appUrl('v2', '/admin/requests'))).json as { requests: typeof shadowed }).requests.filter((r) => r.headers['x-mirror-probe'] !== undefined);
          return shadowed.length === 5;
        },
        { timeoutMs: 5000, intervalMs: 100, message: 'v2 did not receive the 5 mirrored requests' },
      );
      expect(shadowed.map((r) => r.headers['x-mirror-probe']).sort()).toEqual(['0', '1', '2', '3', '4']);
      for (const r of shadowed) {
        expect(r.path).toBe('/headers');
        expect(r.host).toBe(`httpbin-shadow:${HTTP_PORT}`);
      }
      const primary = ((await direct(mesh.appUrl('v1', '/admin/requests'))).json as { requests: Array<{ host: string }> }).requests;
      expect(primary.map((r) => r.host)).toEqual(Array(5).fill(`httpbin:${HTTP_PORT}`));
    } finally {
      await direct(mesh.appUrl('v2', '/admin/fault'), 'DELETE');
      await mesh.remove(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
`);
    }
  });

  it('keeps traffic in the client locality and fails over to the next when the local endpoint fails', async () => {
    const east = `${BLOCK}.21`;
    const west = `${BLOCK}.22`;
    const client = `${BLOCK}.20`;
    const sidecar = (name: string, ip: string, locality: string) =>
      mesh.startProxy(`${name}-sidecar`, { namespace: 'default', serviceAccount: 'geo' }, ['--type', 'sidecar', '--ip', ip, '--workload', name, '--service', 'geo', '--labels', `app=geo,pod=${name}`, '--inbound', `http:${HTTP_PORT}=${ip}:${HTTP_PORT + APP_OFFSET}`, '--locality', locality, '--access-log', 'off']);
    await mesh.startHttpbinApp('geo-east', east, 'east');
    await mesh.startHttpbinApp('geo-west', west, 'west');
    await sidecar('geo-east', east, 'us-east/zone-1');
    await sidecar('geo-west', west, 'us-west/zone-2');
    await mesh.startProxy('geo-client-sidecar', { namespace: 'default', serviceAccount: 'geo-client' }, ['--type', 'sidecar', '--ip', client, '--workload', 'geo-client', '--labels', 'app=geo-client', '--locality', 'us-east/zone-1', '--access-log', 'off']);
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: geo}
spec:
  host: geo
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting:
        enabled: true
        failover: [{from: us-east, to: us-west}]
    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1m, maxEjectionPercent: 100}
`);
    await mesh.waitForConfig(client, 'both geo endpoints with their priorities', (d) => {
      const addresses = d.values('address');
      return addresses.includes(east) && addresses.includes(west) && d.values('priority').includes(1);
    });
    const url = `http://geo:${HTTP_PORT}/get`;
    const local: Reply[] = [];
    for (let i = 0; i < 10; i++) local.push(await mesh.fetch(url, { from: client }));
    expect(podCounts(local)).toEqual({ 'geo-east': 10 });

    await direct(`http://${east}:${HTTP_PORT + APP_OFFSET}/admin/fault?status=500`, 'PUT');
    // At most 30 requests (and 10 s) until 10 in a row come from the other locality.
    const after: Reply[] = [];
    const deadline = Date.now() + 10_000;
    const failedOver = () => after.length >= 10 && after.slice(-10).every((r) => r.status === 200 && r.headers['x-httpbin-pod'] === 'geo-west');
    while (after.length < 30 && Date.now() < deadline && !failedOver()) after.push(await mesh.fetch(url, { from: client }));
    expect(failedOver(), JSON.stringify(podCounts(after))).toBe(true);
    expect(after.filter((r) => r.status === 500).length).toBeGreaterThanOrEqual(1);
  });
});
