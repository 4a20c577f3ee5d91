import net from 'node:net';
import path from 'node:path';
import { type RunningProcess, spawnProcess, waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane } from './support/control-plane';
import { REPO } from './support/mesh';

const ECHO = { v1: '127.77.3.11', v2: '127.77.3.12' };
const CLIENT_IP = '127.77.3.1';

/** A TCP server that answers every chunk with `<name>:<chunk>`. */
function echoServer(name: string, host: string): Promise<net.Server> {
  const srv = net.createServer((s) => s.on('data', (d) => s.write(`${name}:${d.toString()}`)));
  return new Promise((resolve) => srv.listen(7000, host, () => resolve(srv)));
}

/** One request/response over a fresh connection to the sidecar's TCP listener. */
function roundTrip(msg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(7000, CLIENT_IP, () => s.write(msg));
    s.setTimeout(3000, () => s.destroy(new Error('timeout')));
    s.once('data', (d) => {
      resolve(d.toString());
      s.end();
    });
    s.once('error', reject);
  });
}

describe('TCP through a sidecar (tcp_proxy from a VirtualService tcp route)', () => {
  let cp: ControlPlane;
  let sidecar: RunningProcess;
  const servers: net.Server[] = [];

  beforeAll(async () => {
    cp = await ControlPlane.start();
    servers.push(await echoServer('v1', ECHO.v1), await echoServer('v2', ECHO.v2));
    const yaml = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: echo}
spec:
  hosts: [echo.default.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 7000, name: tcp-echo, protocol: TCP}]
  workloadSelector: {labels: {app: echo}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: echo-v1}
spec: {address: ${ECHO.v1}, labels: {app: echo, version: v1}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: echo-v2}
spec: {address: ${ECHO.v2}, labels: {app: echo, version: v2}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo.default.svc.cluster.local
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
`;
    const r = await cp.meshctl(['apply', '-f', '-'], yaml);
    expect(r.code, r.stderr).toBe(0);
    sidecar = await spawnProcess(
      process.execPath,
      [path.join(REPO, 'apps/proxy/dist/main.js'), '--type', 'sidecar', '--ip', CLIENT_IP, '--namespace', 'default', '--workload', 'tcp-client', '--labels', 'app=tcp-client', '--pilot', `127.0.0.1:${cp.pilotPort}`, '--access-log', 'off'],
      { name: 'tcp-client-sidecar', readyLine: /proxy ready/, readyTimeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await sidecar?.stop();
    for (const s of servers) await new Promise((r) => s.close(r));
    await cp?.stop();
  });

  it('forwards raw bytes to the service endpoints', async () => {
    const seen = new Set<string>();
    await waitFor(async () => {
      const reply = await roundTrip('ping');
      seen.add(reply);
      return seen.has('v1:ping') && seen.has('v2:ping');
    }, { timeoutMs: 10_000, intervalMs: 20, message: 'both echo endpoints not reached' });
  });

  it('applies weighted tcp routes (100% to v2)', async () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo}
spec:
  hosts: [echo.default.svc.cluster.local]
  tcp:
  - route: [{destination: {host: echo.default.svc.cluster.local, subset: v2, port: {number: 7000}}}]
`;
    expect((await cp.meshctl(['apply', '-f', '-'], vs)).code).toBe(0);
    await waitFor(async () => {
      const replies = await Promise.all(Array.from({ length: 10 }, () => roundTrip('x')));
      return replies.every((r) => r === 'v2:x');
    }, { timeoutMs: 10_000, intervalMs: 50, message: 'tcp route not applied' });
  });
});
