import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { ConfigBucket, RegistryBucket } from '@mizzen/contracts';
import { type NatsServer, startNats } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI as a user would, on files only (no NATS): `meshctl analyze -f ...`.
const root = path.resolve(__dirname, '../../../..');
const main = path.join(root, 'apps/meshctl/dist/main.js');
let dir: string;

function meshctl(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return run(args);
}

function run(args: string[], natsUrl?: string): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NATS_URL;
  if (natsUrl) env.NATS_URL = natsUrl;
  // cwd is a scratch directory, so no `.mizzen/mesh.json` of a running local mesh is found.
  const r = spawnSync(process.execPath, [main, 'analyze', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const write = (name: string, text: string): string => {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
};

const CLEAN = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: httpbin}
spec:
  hosts: [httpbin.example.com]
  resolution: DNS
  ports: [{number: 80, name: http, protocol: HTTP}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin.example.com]
  http:
  - route:
    - destination: {host: httpbin.example.com}
`;

const BROKEN = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  gateways: [bookinfo-gateway]
  http:
  - route:
    - destination: {host: reviewz}
  - route:
    - destination: {host: reviewz}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: broken, namespace: shop}
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {subset: v1}
`;

const WARNING_ONLY = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: nosuch}
spec:
  host: nosuch
`;

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b', 'apps/meshctl'], { cwd: root, stdio: 'pipe' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshctl-analyze-'));
}, 180_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('meshctl analyze (files only)', () => {
  it('reports nothing and exits 0 for consistent config', () => {
    const r = meshctl('-f', write('clean.yaml', CLEAN), '--no-use-live');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('\u2714 No validation issues found when analyzing all namespaces (1 file(s)).');
    expect(r.code).toBe(0);
  });

  it('prints sorted istioctl-style lines and a summary, and exits 79 on errors', () => {
    const r = meshctl('-f', write('broken.yaml', BROKEN), '--no-use-live');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'Error [IST0101] (VirtualService default/reviews) Referenced gateway not found: "bookinfo-gateway"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviewz"',
      'Error [IST0106] (VirtualService shop/broken) Schema validation error: spec.http[0].route[0].destination.host: required',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #1 not used (only the last rule can have no matches).',
    ]);
    expect(r.stderr).toContain('Error: Analyzers found issues when analyzing all namespaces (1 file(s)).');
    expect(r.stderr).toContain('3 error(s), 1 warning(s), 0 info');
    expect(r.code).toBe(79);
  });

  it('accepts files as arguments and directories, and -n restricts the report to one namespace', () => {
    fs.mkdirSync(path.join(dir, 'cfg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cfg/broken.yaml'), BROKEN);
    fs.writeFileSync(path.join(dir, 'cfg/notes.txt'), 'not yaml');
    const r = meshctl('cfg', '-n', 'default', '--no-use-live');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'Error [IST0101] (VirtualService default/reviews) Referenced gateway not found: "bookinfo-gateway"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviewz"',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #1 not used (only the last rule can have no matches).',
    ]);
    expect(r.stderr).toContain('analyzing namespace: default (1 file(s))');
    expect(r.code).toBe(79);
  });

  it('-o json prints messages with field paths and documentation links', () => {
    const r = meshctl('-f', write('broken.yaml', BROKEN), '--no-use-live', '-o', 'json');
    const out = JSON.parse(r.stdout) as Array<{ code: string; level: string; path?: string; origin: string; documentationUrl: string }>;
    expect(out.map((m) => `${m.code} ${m.origin} ${m.path}`)).toEqual([
      'IST0101 VirtualService default/reviews spec.gateways[0]',
      'IST0101 VirtualService default/reviews spec.http[0].route[0].destination.host',
      'IST0101 VirtualService default/reviews spec.http[1].route[0].destination.host',
      'IST0106 VirtualService shop/broken spec.http[0].route[0].destination.host',
      'IST0130 VirtualService default/reviews spec.http[1]',
    ]);
    expect(out[0].documentationUrl).toBe('https://istio.io/latest/docs/reference/config/analysis/ist0101/');
    expect(r.code).toBe(79);
  });

  it('exits 0 on warnings unless --failure-threshold is lowered; --output-threshold hides lower levels', () => {
    const file = write('warn.yaml', WARNING_ONLY);
    const line = 'Warning [IST0174] (DestinationRule default/nosuch) The host nosuch defined in the DestinationRule does not match any services in the mesh.';
    expect(meshctl('-f', file, '--no-use-live')).toMatchObject({ code: 0, stdout: `${line}\n` });
    expect(meshctl('-f', file, '--no-use-live', '--failure-threshold', 'Warning').code).toBe(79);
    expect(meshctl('-f', file, '--no-use-live', '--output-threshold', 'Error')).toMatchObject({ code: 0, stdout: '' });
  });

  it('analyzes the files alone when no mesh is known, without --no-use-live', () => {
    const r = meshctl('-f', write('clean.yaml', CLEAN));
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('note: no running mesh');
  });

  it('fails with a usage error when there is nothing to analyze', () => {
    const r = meshctl('--no-use-live');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing to analyze');
  });
});

// The running mesh as Galley leaves it in NATS KV: a VirtualService and DestinationRule for
// reviews, the registered reviews service (two ports, one badly named) and one workload (v1).
describe('meshctl analyze (against a mesh in NATS KV)', () => {
  let nats: NatsServer;

  beforeAll(async () => {
    nats = await startNats();
    const bus = await Bus.connect({ url: nats.url });
    try {
      const cfg = await bus.openKv(ConfigBucket.name, { history: ConfigBucket.history });
      const reg = await bus.openKv(RegistryBucket.name, { history: RegistryBucket.history });
      const meta = { name: 'reviews', namespace: 'default' };
      await cfg.put(ConfigBucket.key('VirtualService', 'default', 'reviews'), {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta,
        spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
        source: 'api',
      });
      await cfg.put(ConfigBucket.key('DestinationRule', 'default', 'reviews'), {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: meta,
        spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
        source: 'api',
      });
      const source = { kind: 'Registration', namespace: 'default', name: 'reviews' };
      await reg.put(RegistryBucket.serviceKey('default', 'reviews.default.svc.cluster.local'), {
        hostname: 'reviews.default.svc.cluster.local',
        namespace: 'default',
        ports: [
          { name: 'http', number: 9080, protocol: 'HTTP' },
          { name: 'admin', number: 9090, protocol: 'UNKNOWN' },
        ],
        resolution: 'STATIC',
        location: 'MESH_INTERNAL',
        selector: { app: 'reviews' },
        source,
      });
      await reg.put(RegistryBucket.workloadKey('default', 'reviews-v1'), {
        name: 'reviews-v1',
        namespace: 'default',
        address: '127.1.0.3',
        labels: { app: 'reviews', version: 'v1' },
        serviceAccount: 'bookinfo-reviews',
        source: { ...source, name: 'reviews-v1' },
      });
    } finally {
      await bus.close();
    }
  }, 60_000);

  afterAll(async () => {
    await nats?.stop();
  });

  it('analyzes the live config and registry, workloads included', () => {
    const r = run(['--nats', nats.url]);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'Error [IST0112] (VirtualService default/reviews) This VirtualService routes to a service "reviews" that exposes multiple ports [9080 9090]. Specifying a port in the destination is required to disambiguate.',
      'Error [IST0173] (DestinationRule default/reviews) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      "Info [IST0118] (Service default/reviews) Port name admin (port: 9090, targetPort: 9090) doesn't follow the naming convention of Istio port.",
    ]);
    expect(r.stderr).toContain(`the live mesh (${nats.url})`);
    expect(r.code).toBe(79);
  });

  it('analyzes files as if applied over the live mesh, found through NATS_URL', () => {
    const fix = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1, port: {number: 9080}}
`;
    const r = run(['-f', write('fix.yaml', fix), '--output-threshold', 'Warning'], nats.url);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'Error [IST0173] (DestinationRule default/reviews) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
    ]);
    expect(r.stderr).toContain(`1 file(s) and the live mesh (${nats.url})`);
  });

  it('--use-live fails when the mesh cannot be reached', () => {
    const r = run(['-f', write('clean.yaml', CLEAN), '--use-live', '--nats', 'nats://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read the mesh at nats://127.0.0.1:1');
  });
});
