import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { CitadelSign, CitadelToken } from '@mizzen/contracts';
import { type NatsServer, type RunningProcess, freePort, spawnProcess, startNats } from '@mizzen/testkit';
import * as grpc from '@grpc/grpc-js';
import { createCsr, exportPrivateKeyPem, generateKeyPair, splitPemCertificates, verifyChain } from '@mizzen/pki';
import { type DiscoveryRequest, adsServiceDefinition } from '@mizzen/xds-codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeControlPlane } from '../testing/fake-control-plane';
import * as m from '../testing/mtls-builders';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';
import { ROOT_SECRET, SecretStore, WORKLOAD_SECRET } from '../tls/secret-store';
import { Agent } from './agent';
import { CertAgent, type CertAgentOptions } from './cert-agent/cert-agent';
import { parseAgentOptions } from './options';

/** Citadel's built entry point (`npx tsc -b apps/citadel`). */
const CITADEL_MAIN = path.resolve(__dirname, '../../../citadel/dist/main.js');
const citadelBuilt = fs.existsSync(CITADEL_MAIN);

/**
 * A real Citadel process on a real nats-server, as a proxy meets it: gRPC CSR endpoint on
 * `address`, bootstrap tokens minted over NATS (`mizzen.citadel.token.v1`) and written to files.
 */
class CitadelProcess {
  private proc?: RunningProcess;
  private constructor(
    readonly nats: NatsServer,
    private readonly bus: Bus,
    readonly dir: string,
    readonly port: number,
    private readonly flags: string[],
  ) {}

  static async start(flags: string[] = []): Promise<CitadelProcess> {
    const nats = await startNats();
    const bus = await Bus.connect({ url: nats.url, name: 'proxy-test' });
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'proxy-citadel-'));
    const c = new CitadelProcess(nats, bus, dir, await freePort(), flags);
    await c.startProcess();
    return c;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The mesh root: Citadel's CSR port is TLS, verified against it. */
  get rootFile(): string {
    return path.join(this.dir, 'ca', 'root-cert.pem');
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** Starts (again) on the same port and CA directory. */
  async startProcess(): Promise<void> {
    this.proc = await spawnProcess(process.execPath, [CITADEL_MAIN, '--nats', this.nats.url, '--ca-dir', path.join(this.dir, 'ca'), '--grpc-port', String(this.port), ...this.flags], {
      name: 'citadel',
      readyLine: /^citadel ready$/,
      readyTimeoutMs: 30_000,
    });
  }

  async stopProcess(): Promise<void> {
    await this.proc?.stop();
    this.proc = undefined;
  }

  /** Mints a bootstrap token for `ns`/`sa` and writes it to a file; returns the path. */
  async tokenFile(namespace: string, serviceAccount: string, ttlSeconds?: number): Promise<string> {
    const { token } = await this.bus.request(CitadelToken, { namespace, serviceAccount, ttlSeconds, requester: 'proxy-test' });
    const file = path.join(this.dir, `${namespace}.${serviceAccount}.token`);
    await fsp.writeFile(file, `${token}\n`, { mode: 0o600 });
    return file;
  }

  output(): string {
    return this.proc?.output() ?? '';
  }

  async stop(): Promise<void> {
    await this.stopProcess();
    await this.bus.close();
    await this.nats.stop();
    await fsp.rm(this.dir, { recursive: true, force: true });
  }

  /** Pilot's serving certificate, signed over NATS (`mizzen.citadel.sign.v1`) as Pilot gets it. */
  async controlPlaneCert(uri: string): Promise<{ chain: string; key: string }> {
    const key = await generateKeyPair();
    const reply = await this.bus.request(CitadelSign, { csr: await createCsr(key, { uris: [uri] }), requester: 'proxy-test' });
    return { chain: reply.certChain.slice(0, -1).join(''), key: await exportPrivateKeyPem(key) };
  }
}

const TD = 'spiffe://cluster.local';

describe.skipIf(!citadelBuilt)('certificate agent against a real Citadel process', () => {
  let citadel: CitadelProcess;
  const logs: string[] = [];
  const agents: CertAgent[] = [];
  const log = (l: string) => logs.push(l);

  const certAgent = async (sa: string, extra: Partial<CertAgentOptions> = {}) => {
    const secrets = new SecretStore();
    const a = new CertAgent({ caAddr: citadel.address, transport: { rootFile: citadel.rootFile }, tokenFile: await citadel.tokenFile('default', sa), trustDomain: 'cluster.local', namespace: 'default', serviceAccount: sa, certTtlMs: 3_600_000, ...extra }, { secrets, log });
    agents.push(a);
    return { agent: a, secrets };
  };

  beforeAll(async () => {
    citadel = await CitadelProcess.start();
  }, 60_000);

  afterAll(async () => {
    for (const a of agents) a.stop();
    await citadel?.stop();
  });

  it('gets an SVID for its SPIFFE ID with a key that never left the process; publishes default and ROOTCA', async () => {
    const { agent, secrets } = await certAgent('productpage');
    await agent.start();
    const cert = secrets.certificate(WORKLOAD_SECRET);
    const roots = secrets.validation(ROOT_SECRET);
    expect(cert?.leaf.uriSans).toEqual([`${TD}/ns/default/sa/productpage`]);
    expect(roots?.roots).toHaveLength(1);
    const [leaf, ...intermediates] = splitPemCertificates(cert?.certificateChain ?? '');
    expect(verifyChain({ leaf, intermediates, roots: splitPemCertificates(roots?.trustedCa ?? '') }).ok).toBe(true);
    expect(agent.state()).toMatchObject({ identity: `${TD}/ns/default/sa/productpage`, status: 'valid', issued: 1, consecutiveFailures: 0, serialNumber: cert?.leaf.serialNumber });
    // Requested 1h: Citadel backdates notBefore by a minute.
    expect(Date.parse(agent.state().notAfter ?? '') - Date.now()).toBeGreaterThan(3_500_000);
    expect(citadel.output()).not.toContain(cert?.privateKey.split('\n')[1]);
  });

  it('renews at half-life with a short TTL, with a new key and serial each time', async () => {
    const { agent, secrets } = await certAgent('ratings', { certTtlMs: 3000 });
    const seen = new Set<string>();
    agent.on('issued', (s) => seen.add(s));
    await agent.start();
    const firstKey = secrets.certificate(WORKLOAD_SECRET)?.privateKey;
    await waitUntil(() => seen.size >= 3, 15_000);
    expect(secrets.certificate(WORKLOAD_SECRET)?.privateKey).not.toBe(firstKey);
    agent.stop();
  });

  it('refuses to run on a token for another identity (PERMISSION_DENIED / UNAUTHENTICATED kept in its state)', async () => {
    const secrets = new SecretStore();
    const a = new CertAgent({ caAddr: citadel.address, transport: { rootFile: citadel.rootFile }, tokenFile: await citadel.tokenFile('default', 'details'), trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'reviews', certTtlMs: 3_600_000 }, { secrets, log });
    agents.push(a);
    void a.start();
    await waitUntil(() => a.state().consecutiveFailures >= 1, 10_000);
    expect(a.state()).toMatchObject({ status: 'starting' });
    expect(a.state().lastError).toMatch(/UNAUTHENTICATED|PERMISSION_DENIED/);
    expect(secrets.all()).toEqual([]);
    a.stop();
  });

  it('keeps serving its certificate while Citadel is down, retries with back-off, recovers when it is back', async () => {
    const { agent, secrets } = await certAgent('reviews');
    await agent.start();
    const serial = secrets.certificate(WORKLOAD_SECRET)?.leaf.serialNumber;
    await citadel.stopProcess();
    expect(await agent.renewNow()).toBe(false);
    expect(agent.state()).toMatchObject({ status: 'valid', consecutiveFailures: 1, serialNumber: serial });
    expect(agent.state().lastError).toMatch(/UNAVAILABLE/);
    expect(secrets.certificate(WORKLOAD_SECRET)?.leaf.serialNumber).toBe(serial);
    expect(logs.some((l) => l.includes(`keeping certificate ${serial}`))).toBe(true);
    await citadel.startProcess();
    await waitUntil(() => agent.state().issued === 2, 20_000);
    expect(secrets.certificate(WORKLOAD_SECRET)?.leaf.serialNumber).not.toBe(serial);
    expect(agent.state().consecutiveFailures).toBe(0);
  }, 40_000);
});

describe.skipIf(!citadelBuilt)('two sidecars with certificate agents: mTLS end to end; Pilot over TLS', () => {
  let citadel: CitadelProcess;
  let app: TestUpstream;
  const cps: FakeControlPlane[] = [];
  const agents: Agent[] = [];
  const logs: string[] = [];
  const A = '127.0.8.1';
  const B = '127.0.8.2';

  const start = async (ip: string, sa: string, cp: { address: string }, extra: Record<string, string | boolean> = {}) => {
    const tokenFile = await citadel.tokenFile('default', sa);
    const o = parseAgentOptions({ ip, pilot: cp.address, adminPort: '0', accessLog: 'off', workload: `${sa}-v1`, serviceAccount: sa, caAddr: citadel.address, caTokenFile: tokenFile, caRootFile: citadel.rootFile, certTtl: '1h', ...extra });
    if (!o.ok) throw new Error(JSON.stringify(o.errors));
    const agent = new Agent(o.value, { log: (l) => logs.push(`[${sa}] ${l}`) });
    agents.push(agent);
    await agent.start();
    return agent;
  };

  beforeAll(async () => {
    citadel = await CitadelProcess.start();
    app = await startUpstream('reviews-app', '127.0.8.3');
  }, 60_000);

  afterAll(async () => {
    for (const a of agents) await a.stop();
    for (const cp of cps) await cp.stop();
    await app?.close();
    await citadel?.stop();
  });

  it('productpage -> reviews over mTLS with SPIFFE SAN checks; /certs and /server_info show the identity', async () => {
    const cpA = new FakeControlPlane();
    const cpB = new FakeControlPlane();
    cps.push(cpA, cpB);
    await cpA.start();
    await cpB.start();
    cpB.serveResources([...b.asClusters([b.staticCluster('inbound|9080||', [[app.host, app.port]])]), ...b.asListeners([m.inboundListener('virtualInbound', B, 15006, 'STRICT', 'inbound|9080||')])]);
    const routes = b.routeConfiguration('outbound', [b.vhost('reviews', ['reviews:9080'], [b.routeTo('outbound|9080||reviews')])]);
    cpA.serveResources([
      ...b.asClusters([b.staticCluster('outbound|9080||reviews', [[B, 15006]], { transportSocket: m.istioUpstreamTls('outbound_.9080_._.reviews', [`${TD}/ns/default/sa/reviews`]) })]),
      ...b.asListeners([b.listener('outbound_http', A, 15001, { inline: routes })]),
    ]);
    const server = await start(B, 'reviews', cpB);
    const client = await start(A, 'productpage', cpA);
    await waitUntil(() => server.ready && client.ready, 10_000);
    const res = await request({ host: A, port: 15001 }, { path: '/reviews/1', headers: { host: 'reviews:9080' } });
    expect([res.status, res.body]).toEqual([200, 'reviews-app']);
    expect(server.runtime.stats.scope('listener', `${B}_15006`).counter('ssl.handshake').value).toBe(1);
    expect(await request({ host: B, port: 15006 }, { headers: { host: 'reviews' } }).catch(() => 'refused')).toBe('refused');

    const certs = JSON.parse((await request({ host: A, port: client.adminPort() }, { path: '/certs' })).body);
    const byName = new Map<string, { cert_chain?: Array<{ subject_alt_names: unknown }>; ca_cert?: unknown[] }>(certs.certificates.map((c: { name: string }) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(['ROOTCA', 'default']);
    expect(byName.get('default')?.cert_chain?.[0].subject_alt_names).toEqual([{ uri: `${TD}/ns/default/sa/productpage` }]);
    expect(byName.get('ROOTCA')?.ca_cert).toHaveLength(1);
    expect(certs.agent).toMatchObject({ identity: `${TD}/ns/default/sa/productpage`, status: 'valid', caAddr: citadel.address });
    const info = JSON.parse((await request({ host: A, port: client.adminPort() }, { path: '/server_info' })).body);
    expect(info.identity).toMatchObject({ identity: `${TD}/ns/default/sa/productpage`, notAfter: certs.agent.notAfter });
  });

  it('rotates both sidecars\' certificates under two minutes of mTLS load without a failed request', async () => {
    const [C, D] = ['127.0.8.5', '127.0.8.6'];
    const cpC = new FakeControlPlane();
    const cpD = new FakeControlPlane();
    cps.push(cpC, cpD);
    await cpC.start();
    await cpD.start();
    cpD.serveResources([...b.asClusters([b.staticCluster('inbound|9080||', [[app.host, app.port]])]), ...b.asListeners([m.inboundListener('virtualInbound', D, 15006, 'STRICT', 'inbound|9080||')])]);
    const routes = b.routeConfiguration('outbound', [b.vhost('reviews', ['reviews:9080'], [b.routeTo('outbound|9080||reviews')])]);
    cpC.serveResources([
      // Every 5th request opens a new upstream connection: handshakes keep happening through rotations.
      ...b.asClusters([b.staticCluster('outbound|9080||reviews', [[D, 15006]], { maxRequestsPerConnection: { value: 5 }, transportSocket: m.istioUpstreamTls('outbound_.9080_._.reviews', [`${TD}/ns/default/sa/reviews`]) })]),
      ...b.asListeners([b.listener('outbound_http', C, 15001, { inline: routes })]),
    ]);
    // 20 s certificates renew every ~10 s: about a dozen rotations on each side in two minutes.
    const server = await start(D, 'reviews', cpD, { certTtl: '20s' });
    const client = await start(C, 'productpage', cpC, { certTtl: '20s' });
    await waitUntil(() => server.ready && client.ready, 10_000);
    const serials = { server: new Set<string>(), client: new Set<string>() };
    const deadline = Date.now() + 120_000;
    let ok = 0;
    const failures: string[] = [];
    const loop = async () => {
      // Bounded by time and by count; each request is a new downstream connection.
      for (let i = 0; i < 50_000 && Date.now() < deadline; i++) {
        const res = await request({ host: C, port: 15001 }, { path: '/reviews/1', headers: { host: 'reviews:9080' } }).catch((e: Error) => ({ status: 0, body: e.message }));
        if (res.status === 200 && res.body === 'reviews-app') ok++;
        else failures.push(`${res.status} ${res.body}`);
        serials.server.add(server.certAgent?.state().serialNumber ?? '');
        serials.client.add(client.certAgent?.state().serialNumber ?? '');
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(ok).toBeGreaterThan(1000);
    expect(serials.server.size).toBeGreaterThanOrEqual(5);
    expect(serials.client.size).toBeGreaterThanOrEqual(5);
    expect(server.runtime.stats.scope('listener', `${D}_15006`).counter('ssl.handshake').value).toBeGreaterThan(100);
  }, 180_000);

  it('connects to Pilot over TLS, verified against ROOTCA and its SPIFFE SAN; refuses a Pilot with another identity', async () => {
    const pilot = await citadel.controlPlaneCert(`${TD}/ns/mizzen-system/sa/pilot`);
    const seen: DiscoveryRequest[] = [];
    const server = new grpc.Server();
    server.addService(adsServiceDefinition, {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, Buffer>) => call.on('data', (r: DiscoveryRequest) => seen.push(r)),
      DeltaAggregatedResources: (call: grpc.ServerDuplexStream<unknown, Buffer>) => call.destroy(new Error('no delta')),
    });
    const creds = grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(pilot.chain), private_key: Buffer.from(pilot.key) }], false);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
    try {
      await start('127.0.8.4', 'details', { address: `127.0.0.1:${port}` }, { pilotTls: true });
      await waitUntil(() => seen.some((r) => r.node?.id?.includes('details-v1')), 10_000);
      await start('127.0.8.5', 'ratings', { address: `127.0.0.1:${port}` }, { pilotTls: true, pilotSan: `${TD}/ns/mizzen-system/sa/impostor` });
      await waitUntil(() => logs.some((l) => l.startsWith('[ratings] cannot reach Pilot')), 10_000);
      expect(logs.find((l) => l.startsWith('[ratings] cannot reach Pilot'))).toContain(`Pilot's certificate names ["${TD}/ns/mizzen-system/sa/pilot"], not ${TD}/ns/mizzen-system/sa/impostor`);
      expect(seen.some((r) => r.node?.id?.includes('ratings-v1'))).toBe(false);
    } finally {
      server.forceShutdown();
    }
  });

  it('without --ca-addr, an inbound mTLS chain is NACKed naming the secret', async () => {
    const cp = new FakeControlPlane();
    cps.push(cp);
    await cp.start();
    cp.serveResources([...b.asClusters([b.staticCluster('inbound|9080||', [[app.host, app.port]])]), ...b.asListeners([m.inboundListener('virtualInbound', '127.0.8.6', 15006, 'STRICT', 'inbound|9080||')])]);
    const o = parseAgentOptions({ ip: '127.0.8.6', pilot: cp.address, adminPort: '0', accessLog: 'off' });
    if (!o.ok) throw new Error(JSON.stringify(o.errors));
    const agent = new Agent(o.value, { log: () => undefined });
    agents.push(agent);
    await agent.start();
    const nack = await cp.nextRequest((r) => r.typeUrl.endsWith('Listener') && r.errorDetail !== undefined, 10_000, true);
    expect(nack.errorDetail?.message).toContain('secret "default" is not available: this proxy has no certificate agent (start it with --ca-addr)');
  });
});
