import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { formatNodeId } from '@mizzen/mesh-model';
import { createCsr, createRootCa, exportPrivateKeyPem, generateKeyPair, parseCsr, signCsr } from '@mizzen/pki';
import { createAdsClient, type DiscoveryResponseIn } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PilotService } from '../pilot.service';
import { CITADEL_MAIN, controlPlaneCert, type SecurePilot, startSecurePilot } from '../testing/citadel';

async function parsed(csr: string) {
  const r = await parseCsr(csr);
  if (!r.ok) throw new Error('bad CSR');
  return r.value;
}

const PILOT_ID = 'spiffe://cluster.local/ns/mizzen-system/sa/pilot';

/** Opens an ADS stream over TLS and resolves with the first CDS response, or rejects with the gRPC error. */
function firstCds(target: string, roots: string, cert?: { chain: string; key: string }, expectedSan = PILOT_ID): Promise<DiscoveryResponseIn> {
  const creds = grpc.credentials.createSsl(Buffer.from(roots), cert ? Buffer.from(cert.key) : null, cert ? Buffer.from(cert.chain) : null, {
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
describe.skipIf(!fs.existsSync(CITADEL_MAIN))('Pilot secure xDS port', () => {
  let mesh: SecurePilot;
  let pilot: PilotService;
  let root: string;
  let client: { chain: string; key: string };

  beforeAll(async () => {
    mesh = await startSecurePilot({ id: 'pilot-tls-test' });
    pilot = mesh.pilot;
    root = mesh.roots;
    client = await controlPlaneCert(mesh.bus, 'spiffe://cluster.local/ns/mizzen-system/sa/probe');
  }, 60_000);

  afterAll(async () => {
    await mesh?.stop();
  });

  it('serves ADS over mutual TLS with a Citadel-signed SPIFFE certificate that chains to the mesh root', async () => {
    const r = await firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, root, client);
    expect(r.typeUrl).toBe(TypeUrl.Cluster);
    // The stream's identity is the client certificate's, verified by the transport.
    expect(pilot.xds.registry.all().some((c) => c.proxy.peerIdentity?.uri === 'spiffe://cluster.local/ns/mizzen-system/sa/probe')).toBe(true);
  });

  it('refuses a client without a certificate, or with one from another CA', async () => {
    await expect(firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, root)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    const other = await createRootCa({ subject: { organization: 'cluster.local', commonName: 'other' }, ttlMs: 3_600_000 });
    const key = await generateKeyPair();
    const leaf = await signCsr({ csr: await parsed(await createCsr(key, { uris: ['spiffe://cluster.local/ns/mizzen-system/sa/evil'] })), issuer: other, sans: { uris: ['spiffe://cluster.local/ns/mizzen-system/sa/evil'] }, ttlMs: 3_600_000 });
    await expect(firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, root, { chain: leaf.certPem, key: await exportPrivateKeyPem(key) })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
  });

  it('is refused by a client that trusts another root, or that expects another identity', async () => {
    const other = await createRootCa({ subject: { organization: 'cluster.local', commonName: 'other' }, ttlMs: 3_600_000 });
    await expect(firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, other.certPem, client)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await expect(firstCds(`127.0.0.1:${pilot.secureGrpcPort}`, root, client, 'spiffe://cluster.local/ns/default/sa/evil')).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
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
