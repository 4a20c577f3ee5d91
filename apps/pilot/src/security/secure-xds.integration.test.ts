import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Bus } from '@mizzen/bus';
import { TrustBucket } from '@mizzen/contracts';
import { formatNodeId } from '@mizzen/mesh-model';
import { createRootCa } from '@mizzen/pki';
import { freePort, type NatsServer, type RunningProcess, spawnProcess, startNats } from '@mizzen/testkit';
import { createAdsClient, type DiscoveryResponseIn } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../options';
import { PilotService } from '../pilot.service';

const CITADEL = path.resolve(__dirname, '../../../citadel/dist/main.js');
const PILOT_ID = 'spiffe://cluster.local/ns/mizzen-system/sa/pilot';

/** Opens an ADS stream over TLS and resolves with the first CDS response, or rejects with the gRPC error. */
function firstCds(target: string, roots: string, expectedSan = PILOT_ID): Promise<DiscoveryResponseIn> {
  const creds = grpc.credentials.createSsl(Buffer.from(roots), null, null, {
    // SPIFFE: the server is identified by its URI SAN, not by the host name dialled.
    checkServerIdentity: (_host, cert) => (cert.subjectaltname?.split(', ').includes(`URI:${expectedSan}`) ? undefined : new Error(`server is not ${expectedSan} (${cert.subjectaltname})`)),
  });
  const client = createAdsClient(target, creds);
  const call = client.streamAggregatedResources();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no response in 10 s')), 10_000);
    call.on('data', (r: DiscoveryResponseIn) => {
      clearTimeout(t);
      call.cancel();
      client.close();
      resolve(r);
    });
    call.on('error', (e) => {
      clearTimeout(t);
      client.close();
      reject(e);
    });
    call.write({ node: { id: formatNodeId('sidecar', '127.1.0.9', 'probe', 'default'), metadata: { NAMESPACE: 'default' } }, typeUrl: TypeUrl.Cluster, versionInfo: '', resourceNames: [], responseNonce: '' });
  });
}

/** Pilot's TLS xDS port with a certificate from a real Citadel process, verified like a proxy does. */
describe.skipIf(!fs.existsSync(CITADEL))('Pilot secure xDS port', () => {
  let nats: NatsServer;
  let citadel: RunningProcess;
  let bus: Bus;
  let pilot: PilotService;
  let tmp: string;
  let root: string;

  beforeAll(async () => {
    nats = await startNats();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-tls-'));
    citadel = await spawnProcess(process.execPath, [CITADEL, '--nats', nats.url, '--ca-dir', path.join(tmp, 'ca'), '--grpc-port', String(await freePort())], { name: 'citadel', readyLine: /^citadel ready$/ });
    bus = await Bus.connect({ url: nats.url });
    const bundle = TrustBucket.value((await (await bus.openKv(TrustBucket.name)).get(TrustBucket.bundleKey))?.value);
    if (!bundle.ok) throw new Error('no trust bundle');
    root = bundle.value.roots.map((r) => r.pem).join('\n');
    pilot = new PilotService(parseOptions(['--nats', nats.url, '--grpc-port', '0', '--debug-port', '0', '--secure-grpc-port', String(await freePort()), '--id', 'pilot-tls-test'], {}), bus, () => {});
    await pilot.start();
  }, 60_000);

  afterAll(async () => {
    await pilot?.stop();
    await bus?.close();
    await citadel?.stop();
    await nats?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves ADS over TLS with a Citadel-signed SPIFFE certificate that chains to the mesh root', async () => {
    const r = await firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, root);
    expect(r.typeUrl).toBe(TypeUrl.Cluster);
  });

  it('is refused by a client that trusts another root, or that expects another identity', async () => {
    const other = await createRootCa({ subject: { organization: 'cluster.local', commonName: 'other' }, ttlMs: 3_600_000 });
    await expect(firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, other.certPem)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await expect(firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, root, 'spiffe://cluster.local/ns/default/sa/evil')).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
  });

  it('keeps the plaintext port for local proxies', async () => {
    const client = createAdsClient(`127.0.0.1:${pilot.grpcPort}`, grpc.credentials.createInsecure());
    const call = client.streamAggregatedResources();
    const r = await new Promise<DiscoveryResponseIn>((resolve, reject) => {
      call.on('data', resolve);
      call.on('error', reject);
      call.write({ node: { id: formatNodeId('sidecar', '127.1.0.9', 'probe', 'default'), metadata: { NAMESPACE: 'default' } }, typeUrl: TypeUrl.Cluster, versionInfo: '', resourceNames: [], responseNonce: '' });
    });
    call.cancel();
    client.close();
    expect(r.typeUrl).toBe(TypeUrl.Cluster);
    expect(new X509Certificate(root).ca).toBe(true);
  });
});
