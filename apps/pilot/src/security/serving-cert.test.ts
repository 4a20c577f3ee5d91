import { createPrivateKey, X509Certificate } from 'node:crypto';
import { type CaCredential, createRootCa, parseCsr, signCsr } from '@mizzen/pki';
import { waitFor } from '@mizzen/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServingCertificate, type SignClient } from './serving-cert';

const identity = { trustDomain: 'cluster.local', namespace: 'mizzen-system', serviceAccount: 'pilot', dnsNames: ['pilot.mizzen-system.svc'], ipAddresses: ['127.0.0.1'] };

/** A real CA in the test: signs what the CSR asks for, for `ttlMs`; `down` makes it refuse. */
function testSigner(ca: CaCredential, ttlMs: number) {
  const s = {
    down: false,
    calls: 0,
    sign: (async ({ csr }) => {
      s.calls++;
      if (s.down) throw new Error('no service answers mizzen.citadel.sign.v1');
      const parsed = await parseCsr(csr);
      if (!parsed.ok) throw new Error('bad csr');
      const { uris, dnsNames, ipAddresses } = parsed.value;
      // Validity starts a minute back (clock skew), so half-life is measured from there.
      const issued = await signCsr({ csr: parsed.value, issuer: ca, sans: { uris, dnsNames, ipAddresses }, ttlMs: ttlMs + 60_000 });
      return { certChain: [issued.certPem, ca.certPem], trustBundle: [ca.certPem], serialNumber: issued.serialNumber, notAfter: issued.notAfter.toISOString() };
    }) as SignClient['sign'],
  };
  return s;
}

describe('ServingCertificate', () => {
  let ca: CaCredential;
  let cert: ServingCertificate | undefined;
  beforeAll(async () => {
    ca = await createRootCa({ subject: { organization: 'cluster.local', commonName: 'test root' }, ttlMs: 3_600_000 });
  });
  afterEach(() => cert?.stop());

  it('issues a SPIFFE certificate for its own key and hands it to grpc-js listeners', async () => {
    const signer = testSigner(ca, 3_600_000);
    cert = new ServingCertificate(signer, identity, 'pilot-test', () => {});
    await cert.start();
    const seen: Array<{ certificate: Buffer; privateKey: Buffer }> = [];
    cert.addIdentityCertificateListener((u) => u && seen.push(u));
    const roots: Buffer[] = [];
    cert.addCaCertificateListener((u) => u && roots.push(u.caCertificate));
    await Promise.resolve();
    expect(seen).toHaveLength(1);
    const x = new X509Certificate(seen[0].certificate);
    expect(x.subjectAltName).toContain('URI:spiffe://cluster.local/ns/mizzen-system/sa/pilot');
    expect(x.subjectAltName).toContain('DNS:pilot.mizzen-system.svc');
    expect(x.checkPrivateKey(createPrivateKey(seen[0].privateKey))).toBe(true);
    expect(roots[0].toString()).toBe(ca.certPem);
  });

  it('renews at half-life and keeps the current certificate while the signer is down', async () => {
    const signer = testSigner(ca, 2000);
    cert = new ServingCertificate(signer, identity, 'pilot-test', () => {}, 200);
    await cert.start();
    const serials: string[] = [];
    cert.addIdentityCertificateListener((u) => u && serials.push(new X509Certificate(u.certificate).serialNumber));
    await Promise.resolve();
    const first = serials[0];
    signer.down = true;
    // Half-life of a (60 s back-dated + 2 s) certificate is ~29 s from notBefore, i.e. ~1 s from now.
    await waitFor(() => signer.calls >= 3 || undefined, { timeoutMs: 10_000, message: 'no renewal attempts' });
    expect(serials).toEqual([first]);
    signer.down = false;
    await waitFor(() => serials.length >= 2 || undefined, { timeoutMs: 10_000, message: 'no renewal after the signer came back' });
    expect(serials[1]).not.toBe(first);
  });

  it('gives up after its start timeout with the reason', async () => {
    const signer = testSigner(ca, 3_600_000);
    signer.down = true;
    cert = new ServingCertificate(signer, identity, 'pilot-test', () => {}, 50);
    await expect(cert.start(200)).rejects.toThrow('no serving certificate from Citadel: no service answers mizzen.citadel.sign.v1');
  });
});
