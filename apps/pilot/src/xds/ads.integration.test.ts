import * as grpc from '@grpc/grpc-js';
import { Bus } from '@mizzen/bus';
import { ConfigBucket, RegistryBucket, TrustBucket } from '@mizzen/contracts';
import { createRootCa } from '@mizzen/pki';
import { formatInbound, formatNodeId, type Service, type Workload } from '@mizzen/mesh-model';
import { type NatsServer, startNats, waitFor } from '@mizzen/testkit';
import { createAdsClient, type DeltaDiscoveryRequest, type DeltaDiscoveryResponseIn, type DiscoveryRequest, type DiscoveryResponseIn } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../options';
import { PilotService } from '../pilot.service';

/** A test-side ADS stream: send requests, await responses of a type. */
class TestStream {
  readonly responses: DiscoveryResponseIn[] = [];
  private readonly call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponseIn>;
  closed = false;
  constructor(target: string) {
    const client = createAdsClient(target, grpc.credentials.createInsecure());
    this.call = client.streamAggregatedResources();
    this.call.on('data', (r: DiscoveryResponseIn) => this.responses.push(r));
    this.call.on('error', () => (this.closed = true));
    this.call.on('end', () => (this.closed = true));
  }
  send(r: Partial<DiscoveryRequest> & { typeUrl: string }): void {
    this.call.write({ versionInfo: '', resourceNames: [], responseNonce: '', ...r });
  }
  count(typeUrl: string): number {
    return this.responses.filter((r) => r.typeUrl === typeUrl).length;
  }
  async next(typeUrl: string, after: number): Promise<DiscoveryResponseIn> {
    return waitFor(() => this.responses.filter((r) => r.typeUrl === typeUrl)[after], { timeoutMs: 5000, message: `no ${typeUrl} response #${after}` });
  }
  ack(r: DiscoveryResponseIn, names: string[] = []): void {
    this.send({ typeUrl: r.typeUrl, versionInfo: r.versionInfo, responseNonce: r.nonce, resourceNames: names });
  }
  end(): void {
    this.call.end();
    this.call.cancel();
  }
}

/** A test-side incremental ADS stream. */
class TestDeltaStream {
  readonly responses: DeltaDiscoveryResponseIn[] = [];
  private readonly call: grpc.ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponseIn>;
  constructor(target: string) {
    this.call = createAdsClient(target, grpc.credentials.createInsecure()).deltaAggregatedResources();
    this.call.on('data', (r: DeltaDiscoveryResponseIn) => this.responses.push(r));
    this.call.on('error', () => {});
  }
  send(r: Partial<DeltaDiscoveryRequest> & { typeUrl: string }): void {
    this.call.write({ resourceNamesSubscribe: [], resourceNamesUnsubscribe: [], initialResourceVersions: {}, responseNonce: '', ...r });
  }
  async next(typeUrl: string, after: number): Promise<DeltaDiscoveryResponseIn> {
    return waitFor(() => this.responses.filter((r) => r.typeUrl === typeUrl)[after], { timeoutMs: 5000, message: `no delta ${typeUrl} response #${after}` });
  }
  ack(r: DeltaDiscoveryResponseIn): void {
    this.send({ typeUrl: r.typeUrl, responseNonce: r.nonce });
  }
  end(): void {
    this.call.end();
    this.call.cancel();
  }
}

const node = {
  id: formatNodeId('sidecar', '127.1.0.1', 'productpage-v1', 'default'),
  metadata: {
    NAMESPACE: 'default',
    LABELS: { app: 'productpage', version: 'v1' },
    INSTANCE_IPS: '127.1.0.1',
    MIZZEN_SERVICE: 'productpage',
    MIZZEN_INBOUND: formatInbound([{ port: 9080, name: 'http', protocol: 'HTTP', target: '127.1.0.1:19080' }]),
  },
};

const service = (name: string): Service => ({
  hostname: `${name}.default.svc.cluster.local`,
  namespace: 'default',
  ports: [{ name: 'http', number: 9080, protocol: 'HTTP' }],
  resolution: 'STATIC',
  location: 'MESH_INTERNAL',
  selector: { app: name },
  source: { kind: 'Registration', namespace: 'default', name },
});
const workload = (app: string, version: string, ip: string): Workload => ({
  name: `${app}-${version}`,
  namespace: 'default',
  address: ip,
  ports: { http: 9080 },
  labels: { app, version },
  serviceAccount: 'default',
  source: { kind: 'Registration', namespace: 'default', name: `${app}-${version}` },
});
const vs = (subset: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset } }] }] },
  source: 'api',
});

describe('Pilot ADS (state of the world) against a real NATS', () => {
  let nats: NatsServer;
  let bus: Bus;
  let pilot: PilotService;
  let target: string;
  const put = async (bucket: string, key: string, value: unknown) => (await bus.openKv(bucket)).put(key, value);
  const del = async (bucket: string, key: string) => (await bus.openKv(bucket)).delete(key);

  beforeAll(async () => {
    nats = await startNats();
    bus = await Bus.connect({ url: nats.url });
    await put(RegistryBucket.name, RegistryBucket.serviceKey('default', 'reviews.default.svc.cluster.local'), service('reviews'));
    await put(RegistryBucket.name, RegistryBucket.serviceKey('default', 'details.default.svc.cluster.local'), service('details'));
    await put(RegistryBucket.name, RegistryBucket.workloadKey('default', 'reviews-v1'), workload('reviews', 'v1', '127.1.0.3'));
    await put(RegistryBucket.name, RegistryBucket.workloadKey('default', 'reviews-v2'), workload('reviews', 'v2', '127.1.0.4'));
    await put(ConfigBucket.name, ConfigBucket.key('VirtualService', 'default', 'reviews'), vs('v1'));
    pilot = new PilotService(parseOptions(['--nats', nats.url, '--grpc-port', '0', '--debug-port', '0', '--debounce-quiet-ms', '20', '--id', 'pilot-test'], {}), bus, () => {});
    await pilot.start();
    target = `127.0.0.1:${pilot.grpcPort}`;
  });

  afterAll(async () => {
    await pilot?.stop();
    await bus?.close();
    await nats?.stop();
  });

  it('answers the initial requests with a consistent set, then records ACKs', async () => {
    const s = new TestStream(target);
    s.send({ typeUrl: TypeUrl.Cluster, node });
    const cds = await s.next(TypeUrl.Cluster, 0);
    expect(cds.resources.map((r) => r.body.name)).toContain('outbound|9080||reviews.default.svc.cluster.local');
    expect(cds.resources.map((r) => r.body.name)).toContain('inbound|9080||');
    s.ack(cds);
    s.send({ typeUrl: TypeUrl.Listener });
    const lds = await s.next(TypeUrl.Listener, 0);
    expect(lds.resources.map((r) => r.body.name).sort()).toEqual(['127.1.0.1_9080', 'outbound_http_proxy']);
    s.ack(lds);
    s.send({ typeUrl: TypeUrl.RouteConfiguration, resourceNames: ['http_proxy'] });
    const rds = await s.next(TypeUrl.RouteConfiguration, 0);
    expect(JSON.stringify(rds.resources[0].body)).toContain('outbound|9080|v1|reviews.default.svc.cluster.local');
    s.ack(rds, ['http_proxy']);
    const edsName = 'outbound|9080||reviews.default.svc.cluster.local';
    s.send({ typeUrl: TypeUrl.ClusterLoadAssignment, resourceNames: [edsName] });
    const eds = await s.next(TypeUrl.ClusterLoadAssignment, 0);
    expect(JSON.stringify(eds.resources[0].body)).toContain('127.1.0.3');
    s.ack(eds, [edsName]);
    await waitFor(() => {
      const st = pilot.xds.registry.byProxyId(node.id)?.status().types as Record<string, { synced: boolean }>;
      return st && ['CDS', 'LDS', 'RDS', 'EDS'].every((t) => st[t]?.synced);
    });
    s.end();
  });

  it('pushes a config change only for the affected type, and keeps a NACKed version from being resent', async () => {
    const s = new TestStream(target);
    s.send({ typeUrl: TypeUrl.Cluster, node });
    s.ack(await s.next(TypeUrl.Cluster, 0));
    s.send({ typeUrl: TypeUrl.RouteConfiguration, resourceNames: ['http_proxy'] });
    const rds0 = await s.next(TypeUrl.RouteConfiguration, 0);
    // NACK it: Pilot logs and counts, and does not send the same version again.
    s.send({ typeUrl: TypeUrl.RouteConfiguration, resourceNames: ['http_proxy'], responseNonce: rds0.nonce, versionInfo: '', errorDetail: { code: 3, message: 'test rejects this route' } });
    await waitFor(() => pilot.xds.nacks >= 1);
    // An endpoint-only registry change (another reviews pod, same service account, so the
    // clusters' SPIFFE SANs stay) must not resend RDS or CDS.
    await put(RegistryBucket.name, RegistryBucket.workloadKey('default', 'reviews-v9'), workload('reviews', 'v9', '127.1.0.9'));
    await new Promise((r) => setTimeout(r, 300));
    expect(s.count(TypeUrl.RouteConfiguration)).toBe(1);
    expect(s.count(TypeUrl.Cluster)).toBe(1);
    // A routing change produces a new RDS version.
    await put(ConfigBucket.name, ConfigBucket.key('VirtualService', 'default', 'reviews'), vs('v2'));
    const rds1 = await s.next(TypeUrl.RouteConfiguration, 1);
    expect(rds1.versionInfo).not.toBe(rds0.versionInfo);
    expect(JSON.stringify(rds1.resources[0].body)).toContain('outbound|9080|v2|reviews.default.svc.cluster.local');
    expect(s.count(TypeUrl.Cluster)).toBe(1);
    s.end();
    await del(RegistryBucket.name, RegistryBucket.workloadKey('default', 'reviews-v9'));
  });

  it('removes deleted resources from the next wildcard response', async () => {
    const s = new TestStream(target);
    s.send({ typeUrl: TypeUrl.Cluster, node });
    const cds0 = await s.next(TypeUrl.Cluster, 0);
    s.ack(cds0);
    expect(cds0.resources.some((r) => String(r.body.name).includes('details.default'))).toBe(true);
    await del(RegistryBucket.name, RegistryBucket.serviceKey('default', 'details.default.svc.cluster.local'));
    const cds1 = await s.next(TypeUrl.Cluster, 1);
    expect(cds1.resources.some((r) => String(r.body.name).includes('details.default'))).toBe(false);
    s.end();
  });

  it('serves a reconnecting proxy at once, and rejects a stream without a valid node', async () => {
    const a = new TestStream(target);
    a.send({ typeUrl: TypeUrl.Listener, node });
    const first = await a.next(TypeUrl.Listener, 0);
    a.end();
    const b = new TestStream(target);
    b.send({ typeUrl: TypeUrl.Listener, node, versionInfo: first.versionInfo });
    const again = await b.next(TypeUrl.Listener, 0);
    expect(again.versionInfo).toBe(first.versionInfo);
    b.end();
    const bad = new TestStream(target);
    bad.send({ typeUrl: TypeUrl.Listener, node: { id: 'not-a-node-id' } });
    await waitFor(() => bad.closed);
  });

  it("serves Istio's PCDS: the trust bundle's roots as ProxyConfig caCertificatesPem, pushed when Citadel publishes a new bundle", async () => {
    const s = new TestStream(target);
    s.send({ typeUrl: TypeUrl.ProxyConfig, node });
    const empty = await s.next(TypeUrl.ProxyConfig, 0);
    expect(empty.resources.map(({ typeUrl, body }) => ({ typeUrl, body }))).toEqual([{ typeUrl: TypeUrl.ProxyConfig, body: { caCertificatesPem: [] } }]);
    s.ack(empty);
    const [a, b] = [await createRootCa({ subject: { organization: 'a', commonName: 'a' }, ttlMs: 86_400_000 }), await createRootCa({ subject: { organization: 'b', commonName: 'b' }, ttlMs: 86_400_000 })];
    const root = (pem: string, state: 'active' | 'pending') => ({ pem, sha256: 'f'.repeat(64), notAfter: new Date(Date.now() + 86_400_000).toISOString(), state });
    await put(TrustBucket.name, TrustBucket.bundleKey, { trustDomain: 'cluster.local', roots: [root(a.certPem, 'active'), root(b.certPem, 'pending')], updatedAt: new Date().toISOString() });
    const pushed = await s.next(TypeUrl.ProxyConfig, 1);
    expect((pushed.resources[0].body as { caCertificatesPem: string[] }).caCertificatesPem.map((p) => p.trim()).sort()).toEqual([a.certPem.trim(), b.certPem.trim()].sort());
    s.ack(pushed);
    // An invalid bundle is ignored: nothing is pushed, the last good anchors stay.
    await put(TrustBucket.name, TrustBucket.bundleKey, { trustDomain: 'cluster.local', roots: [] });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.count(TypeUrl.ProxyConfig)).toBe(2);
    expect(pilot.xds.trust.count).toBe(2);
    s.end();
  });

  it('serves incremental (delta) xDS: only changed resources, and removals by name', async () => {
    const s = new TestDeltaStream(target);
    s.send({ typeUrl: TypeUrl.Cluster, node });
    const first = await s.next(TypeUrl.Cluster, 0);
    expect(first.resources.map((r) => r.name)).toContain('outbound|9080||reviews.default.svc.cluster.local');
    s.ack(first);
    const eds = ['outbound|9080||reviews.default.svc.cluster.local', 'outbound|9080|v1|reviews.default.svc.cluster.local'];
    s.send({ typeUrl: TypeUrl.ClusterLoadAssignment, resourceNamesSubscribe: eds });
    const eds0 = await s.next(TypeUrl.ClusterLoadAssignment, 0);
    expect(eds0.resources.map((r) => r.name).sort()).toEqual([...eds].sort());
    s.ack(eds0);
    // endpoint churn: one new reviews workload changes only the default cluster's assignment
    await put(RegistryBucket.name, RegistryBucket.workloadKey('default', 'reviews-v3'), workload('reviews', 'v3', '127.1.0.5'));
    const eds1 = await s.next(TypeUrl.ClusterLoadAssignment, 1);
    expect(eds1.resources.map((r) => r.name)).toEqual(['outbound|9080||reviews.default.svc.cluster.local']);
    expect(JSON.stringify(eds1.resources[0].resource?.body)).toContain('127.1.0.5');
    s.ack(eds1);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.responses.filter((r) => r.typeUrl === TypeUrl.Cluster)).toHaveLength(1);
    // a deleted service is named in removedResources
    await put(RegistryBucket.name, RegistryBucket.serviceKey('default', 'ratings.default.svc.cluster.local'), service('ratings'));
    const cds1 = await s.next(TypeUrl.Cluster, 1);
    expect(cds1.resources.map((r) => r.name)).toEqual(['outbound|9080||ratings.default.svc.cluster.local']);
    s.ack(cds1);
    await del(RegistryBucket.name, RegistryBucket.serviceKey('default', 'ratings.default.svc.cluster.local'));
    const cds2 = await s.next(TypeUrl.Cluster, 2);
    expect(cds2.resources).toEqual([]);
    expect(cds2.removedResources).toEqual(['outbound|9080||ratings.default.svc.cluster.local']);
    s.end();
  });
});
