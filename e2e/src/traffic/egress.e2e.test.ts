import http from 'node:http';
import net from 'node:net';
import { waitFor } from '@mizzen/testkit';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpbinMesh } from './support/httpbin-mesh';

// Istio's egress tasks: "Accessing External Services" (REGISTRY_ONLY vs ALLOW_ANY, ServiceEntry)
// and "Egress Gateways". The "external" service is a local server on a loopback address of this
// suite's block, outside the mesh. The mesh runs with the mesh-wide REGISTRY_ONLY policy (Pilot's
// MIZZEN_OUTBOUND_TRAFFIC_POLICY, read by meshctl up (its --outbound-traffic-policy default): Istio's
// meshConfig.outboundTrafficPolicy.mode).
const BLOCK = '127.77.8';
const EXTERNAL = `${BLOCK}.50`;
/** Where `meshctl up` runs its egress gateway: `<ip-block>.254`. */
const EGRESS_GW = `${BLOCK}.254`;

/** Whether something accepts TCP connections on host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

interface Seen {
  path: string;
  host: string;
  headers: Record<string, string>;
}

describe('egress: outbound traffic policy, ServiceEntry, egress gateway (httpbin sleep client)', () => {
  let mesh: HttpbinMesh;
  let external: http.Server;
  const received: Seen[] = [];

  beforeAll(async () => {
    external = http.createServer((req, res) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({ path: req.url ?? '', host: req.headers.host ?? '', headers });
      res.writeHead(200, { 'content-type': 'text/plain', 'x-external': 'yes' });
      res.end(`external service saw ${req.url}`);
    });
    await new Promise<void>((r) => external.listen(8080, EXTERNAL, r));
    mesh = await HttpbinMesh.start({ ipBlock: BLOCK, gatewayIp: `${BLOCK}.100`, env: { MIZZEN_OUTBOUND_TRAFFIC_POLICY: 'REGISTRY_ONLY' } });
  });

  afterAll(async () => {
    await mesh?.stop();
    external?.closeAllConnections();
    await new Promise((r) => external?.close(r));
  });

  const seenAt = (p: string) => received.filter((r) => r.path === p);

  it('REGISTRY_ONLY: a host outside the registry gets 502 and never sees the request', async () => {
    const byIp = await mesh.fetch(`http://${EXTERNAL}:8080/blocked-ip`);
    const byName = await mesh.fetch('http://external.example.com:8080/blocked-name');
    expect(byIp.status).toBe(502);
    expect(byName.status).toBe(502);
    expect(seenAt('/blocked-ip')).toEqual([]);
    expect(seenAt('/blocked-name')).toEqual([]);
  });

  it('ALLOW_ANY (a Sidecar outboundTrafficPolicy for the namespace) passes the unknown host through', async () => {
    const sidecar = `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default}
spec:
  outboundTrafficPolicy: {mode: ALLOW_ANY}
`;
    await mesh.apply(sidecar);
    await mesh.waitForConfig(mesh.sleepIp, 'the allow_any route', (d) => d.values('name').includes('allow_any'));
    // The sleep app's own call through HTTP_PROXY, like `kubectl exec sleep -- curl`.
    const viaApp = await request(`http://${mesh.sleepIp}:18000/fetch?url=${encodeURIComponent(`http://${EXTERNAL}:8080/allowed`)}`);
    const reply = (await viaApp.body.json()) as { status: number; body: string };
    expect(reply.status, JSON.stringify(reply)).toBe(200);
    expect(reply.body).toBe('external service saw /allowed');
    expect(seenAt('/allowed')).toHaveLength(1);

    await mesh.remove(sidecar);
    await mesh.waitForConfig(mesh.sleepIp, 'the block_all route', (d) => d.values('name').includes('block_all'));
    expect((await mesh.fetch(`http://${EXTERNAL}:8080/blocked-again`)).status).toBe(502);
    expect(seenAt('/blocked-again')).toEqual([]);
  });

  it('REGISTRY_ONLY: a ServiceEntry makes the external host reachable by name', async () => {
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: external}
spec:
  hosts: [external.example.com]
  location: MESH_EXTERNAL
  resolution: STATIC
  ports: [{number: 8080, name: http, protocol: HTTP}]
  endpoints: [{address: ${EXTERNAL}}]
`);
    await mesh.waitForConfig(mesh.sleepIp, 'the ServiceEntry route and endpoint', (d) => d.values('domains').some((x) => Array.isArray(x) && x.includes('external.example.com:8080')) && d.values('address').includes(EXTERNAL));
    const r = await mesh.fetch('http://external.example.com:8080/registered');
    expect(r.status, r.body).toBe(200);
    expect(r.headers['x-external']).toBe('yes');
    expect(seenAt('/registered').map((s) => s.host)).toEqual(['external.example.com:8080']);
    expect((await mesh.fetch(`http://${EXTERNAL}:8080/still-blocked`)).status).toBe(502);
  });

  it('routes mesh traffic for the external host through an egress gateway (Istio egress gateway task)', async () => {
    // The egress gateway and its ServiceEntry (Istio: the chart's Service) come from meshctl up.
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: istio-egressgateway}
spec:
  selector: {istio: egressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: [external.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: direct-external-through-egress-gateway}
spec:
  hosts: [external.example.com]
  gateways: [istio-egressgateway, mesh]
  http:
  - match: [{gateways: [mesh], port: 8080}]
    route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, port: {number: 8080}}}]
  - match: [{gateways: [istio-egressgateway], port: 8080}]
    route: [{destination: {host: external.example.com, port: {number: 8080}}}]
`);
    await waitFor(() => accepts(EGRESS_GW, 8080), { timeoutMs: 15_000, intervalMs: 100, message: `the egress gateway never listened on 8080:\n${mesh.log('istio-egressgateway')}` });
    await mesh.waitForConfig(EGRESS_GW, 'the external service endpoint on the egress gateway', (d) => d.values('address').includes(EXTERNAL));
    await mesh.waitForConfig(mesh.sleepIp, 'the route to the egress gateway', (d) => d.values('cluster').includes('outbound|8080||istio-egressgateway.istio-system.svc.cluster.local') && d.values('address').includes(EGRESS_GW));
    const r = await mesh.fetch('http://external.example.com:8080/via-egress');
    expect(r.status, r.body).toBe(200);
    expect(r.body).toBe('external service saw /via-egress');
    expect(seenAt('/via-egress')).toHaveLength(1);
    // The egress gateway handled it: its access log has the request and its cluster to the
    // external service counted it.
    await waitFor(() => /"GET \/via-egress HTTP\/1\.1" 200 /.test(mesh.log('istio-egressgateway')), { timeoutMs: 5000, intervalMs: 100, message: `no access log line on the egress gateway:\n${mesh.log('istio-egressgateway')}` });
    const stats = await mesh.stats(EGRESS_GW);
    expect(stats.get('cluster.outbound|8080||external.example.com.upstream_rq_total') ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('Sidecar egressProxy: traffic to unknown hosts goes to the egress gateway instead of passing through', async () => {
    const url = 'http://api.example.org:8080/via-egress-proxy';
    // REGISTRY_ONLY first: the unknown host is blocked.
    expect((await mesh.fetch(url)).status).toBe(502);
    const sidecar = `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default}
spec:
  outboundTrafficPolicy:
    mode: ALLOW_ANY
    egressProxy: {host: istio-egressgateway.istio-system.svc.cluster.local, port: {number: 8080}}
`;
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: egress-proxy}
spec:
  selector: {istio: egressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*.example.org"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: example-org-via-egress-proxy}
spec:
  hosts: ["*.example.org"]
  gateways: [egress-proxy]
  http:
  - route: [{destination: {host: external.example.com, port: {number: 8080}}}]
---
${sidecar}`);
    try {
      await mesh.waitForConfig(mesh.sleepIp, 'the allow_any route to the egress proxy', (d) => d.values('name').includes('allow_any'));
      await mesh.waitForConfig(EGRESS_GW, 'the *.example.org server', (d) => d.values('domains').some((x) => Array.isArray(x) && x.some((h) => String(h).includes('example.org'))));
      const r = await mesh.fetch(url);
      expect(r.status, r.body).toBe(200);
      expect(r.body).toBe('external service saw /via-egress-proxy');
      expect(seenAt('/via-egress-proxy')).toHaveLength(1);
      await waitFor(() => /"GET \/via-egress-proxy HTTP\/1\.1" 200 /.test(mesh.log('istio-egressgateway')), { timeoutMs: 5000, intervalMs: 100, message: `no access log line on the egress gateway:\n${mesh.log('istio-egressgateway')}` });
    } finally {
      await mesh.remove(sidecar);
    }
  });
});
