import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as xds from '@grpc/grpc-js-xds';
import * as protoLoader from '@grpc/proto-loader';
import { freePort, spawnProcess, type RunningProcess, waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane } from './support/control-plane';
import { REPO } from './support/mesh';

const GREETER = path.join(REPO, 'samples/greeter');
const TARGET = 'xds:///greeter.default.svc.cluster.local:50051';
const ADDR = { v1: '127.77.2.11', v2: '127.77.2.12' };

type SayHello = (req: { name: string }, opts: { deadline: number }, cb: (err: grpc.ServiceError | null, res?: { message: string }) => void) => void;

/** An independent xDS client: @grpc/grpc-js-xds with Pilot as its xDS server (bootstrap per channel). */
function xdsClient(pilotPort: number): grpc.Client & { SayHello: SayHello } {
  xds.register();
  const def = protoLoader.loadSync(path.join(GREETER, 'proto/helloworld.proto'));
  const pkg = grpc.loadPackageDefinition(def) as unknown as { helloworld: { Greeter: grpc.ServiceClientConstructor } };
  const bootstrap = {
    xds_servers: [{ server_uri: `127.0.0.1:${pilotPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
    node: { id: `grpc-e2e-${process.pid}`, locality: {}, metadata: { GENERATOR: 'grpc', NAMESPACE: 'default' } },
  };
  return new pkg.helloworld.Greeter(TARGET, grpc.credentials.createInsecure(), {
    'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': JSON.stringify(bootstrap),
  }) as unknown as grpc.Client & { SayHello: SayHello };
}

type SayHelloMd = (req: { name: string }, md: grpc.Metadata, opts: { deadline: number }, cb: (err: grpc.ServiceError | null, res?: { message: string }) => void) => void;

function hello(client: { SayHello: SayHello }, headers: Record<string, string> = {}, name = 'e2e'): Promise<string> {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(headers)) md.set(k, v);
  return new Promise<string>((resolve, reject) =>
    (client.SayHello as unknown as SayHelloMd)({ name }, md, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res?.message ?? ''))),
  );
}

async function versions(client: { SayHello: SayHello }, n: number, headers: Record<string, string> = {}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const msg = await hello(client, headers);
    const v = /from (v\d)/.exec(msg)?.[1] ?? msg;
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

describe('proxyless gRPC: @grpc/grpc-js-xds uses Pilot as its xDS server', () => {
  let cp: ControlPlane;
  const servers: RunningProcess[] = [];

  beforeAll(async () => {
    cp = await ControlPlane.start();
    for (const [version, host] of Object.entries(ADDR)) {
      servers.push(await spawnProcess(process.execPath, [path.join(GREETER, 'dist/server.js')], { name: `greeter-${version}`, env: { HOST: host, PORT: '50051', SERVICE_VERSION: version }, readyLine: /listening on/ }));
    }
    const text = ['service-entry.yaml', 'workload-entries.yaml', 'destination-rule.yaml']
      .map((f) => fs.readFileSync(path.join(GREETER, 'networking', f), 'utf8'))
      .join('\n---\n')
      .replaceAll('127.0.0.11', ADDR.v1)
      .replaceAll('127.0.0.12', ADDR.v2);
    const r = await cp.meshctl(['apply', '-f', '-'], text);
    expect(r.code, r.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await cp?.stop();
  });

  it('calls the service by its xds:/// name and balances over both versions', async () => {
    const client = xdsClient(cp.pilotPort);
    const seen = await versions(client, 40);
    expect(seen.v1).toBeGreaterThan(5);
    expect(seen.v2).toBeGreaterThan(5);
    client.close();
  });

  it('honours a weighted VirtualService (80/20) from the same config as the sidecars', async () => {
    const r = await cp.meshctl(['apply', '-f', path.join(GREETER, 'networking/virtual-service-80-20.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    const client = xdsClient(cp.pilotPort);
    await waitFor(async () => {
      const seen = await versions(client, 200);
      return (seen.v1 ?? 0) > 130 && (seen.v1 ?? 0) < 190 && (seen.v2 ?? 0) > 10;
    }, { timeoutMs: 15_000, message: 'weights not applied' });
    const all = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: greeter}
spec:
  hosts: [greeter.default.svc.cluster.local]
  http:
  - route:
    - destination: {host: greeter.default.svc.cluster.local, subset: v2, port: {number: 50051}}
`;
    expect((await cp.meshctl(['apply', '-f', '-'], all)).code).toBe(0);
    await waitFor(async () => (await versions(client, 20)).v2 === 20, { timeoutMs: 5000, message: 'v2-only route not applied' });
    client.close();
  });

  it('honours header matches, fault aborts and ring hash from the same VirtualService and DestinationRule', async () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: greeter}
spec:
  host: greeter.default.svc.cluster.local
  trafficPolicy:
    loadBalancer: {consistentHash: {httpHeaderName: x-session}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: greeter}
spec:
  hosts: [greeter.default.svc.cluster.local]
  http:
  - match: [{headers: {x-fail: {exact: "yes"}}}]
    fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}}
    route: [{destination: {host: greeter.default.svc.cluster.local, port: {number: 50051}}}]
  - match: [{headers: {x-user: {exact: alice}}}]
    route: [{destination: {host: greeter.default.svc.cluster.local, subset: v2, port: {number: 50051}}}]
  - route: [{destination: {host: greeter.default.svc.cluster.local, port: {number: 50051}}}]
`;
    const r = await cp.meshctl(['apply', '-f', '-'], yaml);
    expect(r.code, r.stderr).toBe(0);
    const client = xdsClient(cp.pilotPort);
    // header match -> v2 only
    await waitFor(async () => (await versions(client, 20, { 'x-user': 'alice' })).v2 === 20, { timeoutMs: 10_000, message: 'header match not applied' });
    // fault abort with a gRPC status
    await waitFor(
      async () => {
        try {
          await hello(client, { 'x-fail': 'yes' });
          return false;
        } catch (e) {
          return (e as grpc.ServiceError).code === grpc.status.UNAVAILABLE;
        }
      },
      { timeoutMs: 5000, message: 'fault abort not applied' },
    );
    // ring hash: one session sticks to one backend; many sessions use both
    const sessions = Array.from({ length: 16 }, (_, i) => `session-${i}`);
    const perSession = await Promise.all(sessions.map(async (sid) => versions(client, 10, { 'x-session': sid })));
    for (const seen of perSession) expect(Object.keys(seen)).toHaveLength(1);
    expect(new Set(perSession.map((seen) => Object.keys(seen)[0])).size).toBe(2);
    client.close();
  });

  it('honours VirtualService retries (gRFC A44): UNAVAILABLE is retried up to the attempts, not beyond', async () => {
    const yaml = (attempts: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: greeter}
spec:
  hosts: [greeter.default.svc.cluster.local]
  http:
  - retries: ${attempts ? `{attempts: ${attempts}, retryOn: unavailable}` : '{attempts: 0}'}
    route: [{destination: {host: greeter.default.svc.cluster.local, subset: v1, port: {number: 50051}}}]
`;
    const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: greeter}
spec:
  host: greeter.default.svc.cluster.local
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;
    const applied = await cp.meshctl(['apply', '-f', '-'], `${dr}---\n${yaml(0)}`);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const client = xdsClient(cp.pilotPort);
    let key = 0;
    // attempts 0: the first UNAVAILABLE reaches the caller (wait until the v1-only route is in force).
    await waitFor(async () => (await versions(client, 10)).v1 === 10, { timeoutMs: 10_000, message: 'v1 route not applied' });
    await expect(hello(client, {}, `flaky:1:k${key++}`)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect((await cp.meshctl(['apply', '-f', '-'], yaml(3))).code).toBe(0);
    // attempts 3: two failures are absorbed, four are not.
    await waitFor(async () => (await hello(client, {}, `flaky:2:k${key++}`).then(() => true, () => false)), { timeoutMs: 10_000, message: 'retries not applied' });
    await expect(hello(client, {}, `flaky:4:k${key++}`)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });

  // gRFC A36 + A41: an xDS-enabled gRPC server gets its listener from Pilot, with the workload's
  // AuthorizationPolicies as RBAC filters; denials are PERMISSION_DENIED, as Istio documents.
  it('configures a proxyless gRPC server (XdsServer): its AuthorizationPolicies are enforced as RBAC', async () => {
    const host = '127.77.2.13';
    // grpc-js-xds 1.14 listens on the port on every interface (not just the listener's address),
    // so the server gets a port nothing else uses.
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-xds-server-'));
    const bootstrap = path.join(dir, 'bootstrap.json');
    fs.writeFileSync(
      bootstrap,
      JSON.stringify({
        xds_servers: [{ server_uri: `127.0.0.1:${cp.pilotPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
        node: { id: 'greeter-v3.default', locality: {}, metadata: { GENERATOR: 'grpc', NAMESPACE: 'default', LABELS: { app: 'greeter', version: 'v3' }, INSTANCE_IPS: host } },
        server_listener_resource_name_template: 'grpc/server?xds.resource.listening_address=%s',
      }),
    );
    // Serves only once its listener arrived from Pilot ("listening on" follows the xDS update).
    servers.push(
      await spawnProcess(process.execPath, [path.join(GREETER, 'dist/server.js')], {
        name: 'greeter-v3-xds',
        env: { HOST: host, PORT: String(port), SERVICE_VERSION: 'v3', XDS_SERVER: 'true', GRPC_XDS_BOOTSTRAP: bootstrap, GRPC_XDS_EXPERIMENTAL_RBAC: 'true' },
        readyLine: /listening on/,
        readyTimeoutMs: 20_000,
      }),
    );
    const def = protoLoader.loadSync(path.join(GREETER, 'proto/helloworld.proto'));
    const pkg = grpc.loadPackageDefinition(def) as unknown as { helloworld: { Greeter: grpc.ServiceClientConstructor } };
    const direct = new pkg.helloworld.Greeter(`${host}:${port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & { SayHello: SayHello };
    const call = (user?: string) => hello(direct, user ? { 'x-user': user } : {}).then((m) => m, (e: grpc.ServiceError) => `${grpc.status[e.code]}: ${e.details}`);
    expect(await call()).toBe('Hello e2e from v3');

    const deny = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-mallory}
spec:
  selector: {matchLabels: {app: greeter, version: v3}}
  action: DENY
  rules:
  - when: [{key: "request.headers[x-user]", values: [mallory]}]
`;
    const allowNothing = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing}
spec:
  selector: {matchLabels: {app: greeter, version: v3}}
`;
    const apply = async (yaml: string, verb = 'apply') => {
      const r = await cp.meshctl([verb, '-f', '-'], yaml);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    };
    await apply(deny);
    await waitFor(async () => ((await call('mallory')).startsWith('PERMISSION_DENIED') ? true : undefined), { timeoutMs: 10_000, message: 'DENY policy in force' });
    expect(await call('alice')).toBe('Hello e2e from v3');
    await apply(allowNothing);
    await waitFor(async () => ((await call('alice')).startsWith('PERMISSION_DENIED') ? true : undefined), { timeoutMs: 10_000, message: 'allow-nothing in force' });
    await apply(allowNothing, 'delete');
    await apply(deny, 'delete');
    await waitFor(async () => ((await call('mallory')) === 'Hello e2e from v3' ? true : undefined), { timeoutMs: 10_000, message: 'policies removed' });
    direct.close();
  });
});
