import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { isBusError } from '@mizzen/bus';
import { CitadelRotateRoot } from '@mizzen/contracts';
import { createCsr, generateKeyPair } from '@mizzen/pki';
import { startNats } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCitadel } from '../citadel';
import { type CitadelHarness, startCitadelHarness, testConfig } from '../testing/citadel-harness';
import { opensslVerify } from '../testing/openssl';
import { makeOpensslCacerts } from '../testing/openssl-cacerts';

const ID = 'spiffe://cluster.local/ns/default/sa/reviews';
let tmp: string;
let h: CitadelHarness;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'citadel-cacerts-'));
  await makeOpensslCacerts(path.join(tmp, 'cacerts'));
  h = await startCitadelHarness({ caDir: path.join(tmp, 'cacerts') });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('plugged-in CA (Istio cacerts made by openssl)', () => {
  it('signs with the plugged-in intermediate; the chain ends in the operator’s root and verifies', async () => {
    const token = await h.token('default', 'reviews');
    const r = await h.ca.createCertificate(await createCsr(await generateKeyPair(), { uris: [ID] }), { token });
    if (!r.ok) throw new Error(r.details);
    const [leaf, intermediate, root] = r.chain;
    expect(intermediate).toBe(await fs.readFile(path.join(h.caDir, 'ca-cert.pem'), 'utf8'));
    expect(root).toBe(await fs.readFile(path.join(h.caDir, 'root-cert.pem'), 'utf8'));
    expect((await opensslVerify({ roots: root, intermediates: intermediate, leaf })).code).toBe(0);
    expect(new X509Certificate(leaf).issuer).toMatch(/CN=Intermediate CA/);
    expect((await h.bundle()).roots).toHaveLength(1);
  });

  it('refuses root rotation (no root key) and never writes the operator’s files', async () => {
    const before = await fs.readFile(path.join(h.caDir, 'ca-key.pem'), 'utf8');
    let code = '';
    try {
      await h.client.request(CitadelRotateRoot, { requester: 'test' });
    } catch (err) {
      if (isBusError(err)) code = `${err.code}: ${err.message}`;
    }
    expect(code).toMatch(/^invalid-request: .*the CA is plugged in/);
    expect(await fs.readFile(path.join(h.caDir, 'ca-key.pem'), 'utf8')).toBe(before);
    await expect(fs.stat(path.join(h.caDir, 'root-key.pem'))).rejects.toThrow();
  });

  it('refuses to start on a key that does not match ca-cert.pem', async () => {
    const dir = path.join(tmp, 'mismatch');
    await makeOpensslCacerts(dir);
    await fs.copyFile(path.join(tmp, 'cacerts', 'ca-key.pem'), path.join(dir, 'ca-key.pem'));
    const nats = await startNats();
    try {
      await expect(startCitadel(testConfig(dir, nats.url), { logger: false })).rejects.toThrow(/ca-key\.pem does not match its certificate's public key/);
    } finally {
      await nats.stop();
    }
  }, 60_000);
});
