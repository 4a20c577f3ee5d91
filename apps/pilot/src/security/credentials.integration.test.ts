import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { Bus } from '@mizzen/bus';
import { SecretBucket, type StoredSecret } from '@mizzen/contracts';
import { formatNodeId } from '@mizzen/mesh-model';
import { waitFor } from '@mizzen/testkit';
import { createAdsClient, type DiscoveryRequest, type DiscoveryResponseIn, type XdsNode } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PilotService } from '../pilot.service';
import { CITADEL_MAIN, controlPlaneCert, type SecurePilot, startSecurePilot } from '../testing/citadel';

/** One SotW ADS stream for SDS requests: mutual TLS with `cert` (Pilot's secure port), else plaintext. */
class SdsStream {
  readonly responses: DiscoveryResponseIn[] = [];
  private readonly call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponseIn>;
  constructor(target: string, tls?: { roots: string; cert: { chain: string; key: string } }) {
    const creds = tls
      ? grpc.credentials.createSsl(Buffer.from(tls.roots), Buffer.from(tls.cert.key), Buffer.from(tls.cert.chain), { checkServerIdentity: () => undefined })
      : grpc.credentials.createInsecure();
    this.call = createAdsClient(target, creds).streamAggregatedResources();
    this.call.on('data', (r: DiscoveryResponseIn) => this.responses.push(r));
    this.call.on('error', () => {});
  }
  send(r: Partial<DiscoveryRequest> & { typeUrl: string }): void {
    this.call.write({ versionInfo: '', resourceNames: [], responseNonce: '', ...r });
  }
  next(after: number): Promise<DiscoveryResponseIn> {
    return waitFor(() => this.responses[after], { timeoutMs: 5000, message: `no SDS response #${after}` });
  }
  ack(r: DiscoveryResponseIn, resourceNames: string[]): void {
    this.send({ typeUrl: r.typeUrl, versionInfo: r.versionInfo, responseNonce: r.nonce, resourceNames });
  }
  end(): void {
    this.call.end();
    this.call.cancel();
  }
}

// The gateway runs in the control-plane namespace here: Citadel signs its SPIFFE IDs over NATS.
const NS = 'mizzen-system';
const GATEWAY_ID = `spiffe://cluster.local/ns/${NS}/sa/mizzen-ingressgateway`;
const gatewayNode = { id: formatNodeId('router', '127.0.0.1', 'mizzen-ingressgateway', NS), metadata: { NAMESPACE: NS, LABELS: { istio: 'ingressgateway' }, INSTANCE_IPS: '127.0.0.1' } };
const sidecarNode = { id: formatNodeId('sidecar', '127.0.0.1', 'productpage-v1', NS), metadata: { NAMESPACE: NS, LABELS: { app: 'productpage' }, INSTANCE_IPS: '127.0.0.1' } };
/** A gateway node that claims istio-system while its certificate says mizzen-system. */
const impostorNode = { id: formatNodeId('router', '127.0.0.1', 'istio-ingressgateway', 'istio-system'), metadata: { NAMESPACE: 'istio-system', LABELS: { istio: 'ingressgateway' }, INSTANCE_IPS: '127.0.0.1' } };

const secret = (namespace: string, name: string, cert: string, ca?: string): StoredSecret => ({
  namespace,
  name,
  type: 'kubernetes.io/tls',
  dataKeys: ['tls.crt', 'tls.key'],
  certChain: cert,
  privateKey: `key-of-${cert}`,
  caCert: ca,
  summary: { dnsNames: [], caCertificates: ca ? 1 : 0 },
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  source: 'api',
});

const decoded = (r: DiscoveryResponseIn) =>
  r.resources.map((x) => {
    const b = x.body as { name: string; tlsCertificate?: { certificateChain: { inlineBytes: string } }; validationContext?: { trustedCa: { inlineBytes: string } } };
    const pem = b.tlsCertificate?.certificateChain.inlineBytes ?? b.validationContext?.trustedCa.inlineBytes ?? '';
    return [b.name, Buffer.from(pem, 'base64').toString()];
  });

describe.skipIf(!fs.existsSync(CITADEL_MAIN))('Pilot SDS over ADS: gateway credentials from the mizzen-secrets bucket', () => {
  let mesh: SecurePilot;
  let bus: Bus;
  let pilot: PilotService;
  let target: string;
  let tls: { roots: string; cert: { chain: string; key: string } };
  const logs: string[] = [];
  const kv = () => bus.openKv(SecretBucket.name, { history: SecretBucket.history });

  beforeAll(async () => {
    mesh = await startSecurePilot({
      id: 'pilot-sds-test',
      log: (m) => logs.push(m),
      seed: async (b) => {
        bus = b;
        await (await kv()).put(SecretBucket.key(NS, 'httpbin-credential'), secret(NS, 'httpbin-credential', 'CERT-A', 'CA-A'));
        await (await kv()).put(SecretBucket.key('default', 'app-credential'), secret('default', 'app-credential', 'CERT-X'));
        await (await kv()).put(SecretBucket.key('istio-system', 'httpbin-credential'), secret('istio-system', 'httpbin-credential', 'CERT-I'));
      },
    });
    pilot = mesh.pilot;
    tls = { roots: mesh.roots, cert: await controlPlaneCert(bus, GATEWAY_ID) };
    target = `127.0.0.1:${pilot.secureGrpcPort}`;
  }, 60_000);

  afterAll(async () => {
    await mesh?.stop();
  });

  it('serves the requested names a gateway may read, pushes a rotation, and leaves out other namespaces', async () => {
    const s = new SdsStream(target, tls);
    const names = ['kubernetes://httpbin-credential', 'kubernetes://httpbin-credential-cacert', 'kubernetes://default/app-credential'];
    s.send({ typeUrl: TypeUrl.Secret, node: gatewayNode, resourceNames: names });
    const first = await s.next(0);
    expect(decoded(first)).toEqual([
      ['kubernetes://httpbin-credential', 'CERT-A'],
      ['kubernetes://httpbin-credential-cacert', 'CA-A'],
    ]);
    s.ack(first, names);
    expect(logs.some((l) => l.includes('may not read kubernetes://default/app-credential'))).toBe(true);
    expect(logs.join('\n')).not.toContain('key-of-');
    // The debug view (config_dump) never shows the key.
    const dump = JSON.stringify(pilot.xds.registry.all().flatMap((c) => c.currentResources()));
    expect(dump).toContain('kubernetes://httpbin-credential');
    expect(dump).not.toContain(Buffer.from('key-of-CERT-A').toString('base64'));
    expect(dump).toContain('[redacted]');
    // `meshctl create secret` again with a new certificate: pushed without a new request.
    await (await kv()).put(SecretBucket.key(NS, 'httpbin-credential'), secret(NS, 'httpbin-credential', 'CERT-B', 'CA-A'));
    const rotated = await s.next(1);
    expect(decoded(rotated)[0]).toEqual(['kubernetes://httpbin-credential', 'CERT-B']);
    s.ack(rotated, names);
    // A change to a secret nobody here named sends nothing.
    await (await kv()).put(SecretBucket.key(NS, 'unrelated'), secret(NS, 'unrelated', 'CERT-U'));
    await new Promise((r) => setTimeout(r, 300));
    expect(s.responses).toHaveLength(2);
    // Deleted: left out of the next response (the proxy keeps what it has, as Envoy does).
    await (await kv()).delete(SecretBucket.key(NS, 'httpbin-credential'), { purge: true });
    const gone = await s.next(2);
    expect(decoded(gone)).toEqual([]);
    s.end();
  });

  it('refuses credentials to sidecars, to a gateway without a verified identity (plaintext port), and to a node claiming another namespace than its certificate', async () => {
    await (await kv()).put(SecretBucket.key(NS, 'httpbin-credential'), secret(NS, 'httpbin-credential', 'CERT-C'));
    // The secret exists and the plaintext gateway is in its namespace: only the missing verified
    // identity keeps it out.
    const cases: Array<[SdsStream, XdsNode]> = [
      [new SdsStream(target, tls), sidecarNode],
      [new SdsStream(`127.0.0.1:${pilot.grpcPort}`), gatewayNode],
      [new SdsStream(target, tls), impostorNode],
    ];
    for (const [s, node] of cases) {
      s.send({ typeUrl: TypeUrl.Secret, node, resourceNames: ['kubernetes://httpbin-credential'] });
      expect((await s.next(0)).resources).toEqual([]);
      s.end();
    }
    expect(logs.some((l) => l.includes(`identity ${GATEWAY_ID}) may not read kubernetes://httpbin-credential`))).toBe(true);
  });
});
