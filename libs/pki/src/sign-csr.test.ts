import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCsr } from './csr-request';
import { exportPrivateKeyPem, generateKeyPair, importPrivateKeyPem, publicKeyDer } from './keys';
import { certFingerprint, joinPem, splitPemCertificates } from './pem';
import { signCsr } from './sign-csr';
import { opensslText, opensslVerify } from './testing/openssl';
import { testCa } from './testing/test-ca';
import { verifyChain } from './verify-chain';

const ID = 'spiffe://cluster.local/ns/default/sa/reviews';
const HOUR = 3_600_000;

describe('signCsr: SPIFFE X509-SVIDs', () => {
  it.each(['ECDSA-P256', 'RSA-2048'] as const)('issues a %s chain that openssl verifies strictly, for both TLS purposes', async (alg) => {
    const { root, intermediate } = await testCa(alg);
    const key = await generateKeyPair(alg);
    const leaf = await signCsr({ csr: await createCsr(key, { uris: [ID] }), issuer: intermediate, sans: { uris: [ID] }, ttlMs: 24 * HOUR });
    for (const purpose of ['sslserver', 'sslclient']) {
      const r = await opensslVerify({ roots: root.certPem, intermediates: intermediate.certPem, leaf: leaf.certPem, purpose });
      expect(r.output).toMatch(/: OK/);
      expect(r.code).toBe(0);
    }
    // Without the intermediate there is no path: the check can fail.
    expect((await opensslVerify({ roots: root.certPem, leaf: leaf.certPem })).code).not.toBe(0);
  });

  it('follows the X509-SVID profile: empty subject, critical URI SAN, cA=false, usages, key identifiers, TTL', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { intermediate } = await testCa('ECDSA-P256', now);
    const key = await generateKeyPair();
    const issued = await signCsr({ csr: await createCsr(key, { uris: [ID] }), issuer: intermediate, sans: { uris: [ID] }, ttlMs: 24 * HOUR, now });
    const text = await opensslText(issued.certPem);
    expect(text).toMatch(/Subject:\s*\n/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: critical\s+URI:spiffe:\/\/cluster\.local\/ns\/default\/sa\/reviews\s*\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\s*\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
    expect(text).toMatch(/X509v3 Authority Key Identifier/);
    expect(issued.notBefore).toEqual(new Date(now.getTime() - 60_000));
    expect(issued.notAfter).toEqual(new Date(now.getTime() + 24 * HOUR));
    const x = new X509Certificate(issued.certPem);
    expect(x.subjectAltName).toBe(`URI:${ID}`);
    expect(x.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(Buffer.from(x.publicKey.export({ type: 'spki', format: 'der' }))).toEqual(await publicKeyDer(key.publicKey));
  });

  it('certifies the names the CA decides, not the ones the CSR asks for', async () => {
    const { intermediate } = await testCa();
    const key = await generateKeyPair();
    const csr = await createCsr(key, { uris: ['spiffe://cluster.local/ns/kube-system/sa/admin'], dnsNames: ['evil.example'] });
    const issued = await signCsr({ csr, issuer: intermediate, sans: { uris: [ID] }, ttlMs: HOUR });
    expect(new X509Certificate(issued.certPem).subjectAltName).toBe(`URI:${ID}`);
  });

  it('never outlives its issuer and refuses a certificate without names or with a bad CSR', async () => {
    const { intermediate } = await testCa();
    const key = await generateKeyPair();
    const csr = await createCsr(key, { uris: [ID] });
    const issued = await signCsr({ csr, issuer: intermediate, sans: { dnsNames: ['pilot.mizzen-system.svc'] }, ttlMs: 10_000 * 24 * HOUR });
    expect(issued.notAfter).toEqual(intermediate.cert.notAfter);
    await expect(signCsr({ csr, issuer: intermediate, sans: {}, ttlMs: HOUR })).rejects.toThrow(/at least one subjectAltName/);
    await expect(signCsr({ csr: 'nope', issuer: intermediate, sans: { uris: [ID] }, ttlMs: HOUR })).rejects.toThrow(/invalid CSR/);
  });

  it('verifyChain finds the path and refuses an unrelated root or an expired leaf', async () => {
    const now = new Date();
    const { root, intermediate } = await testCa();
    const other = await testCa();
    const key = await generateKeyPair();
    const leaf = await signCsr({ csr: await createCsr(key, { uris: [ID] }), issuer: intermediate, sans: { uris: [ID] }, ttlMs: HOUR, now });
    expect(verifyChain({ leaf: leaf.certPem, intermediates: [intermediate.certPem], roots: [other.root.certPem, root.certPem] })).toEqual({ ok: true, value: { root: root.certPem.trim() + '\n', depth: 2 } });
    expect(verifyChain({ leaf: leaf.certPem, intermediates: [intermediate.certPem], roots: [other.root.certPem] }).ok).toBe(false);
    expect(verifyChain({ leaf: leaf.certPem, intermediates: [intermediate.certPem], roots: [root.certPem], at: new Date(now.getTime() + 2 * HOUR) })).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/expired/) }] });
  });

  it('PEM helpers split and join bundles; keys survive a PEM round trip, including openssl’s EC form', async () => {
    const { root, intermediate } = await testCa();
    const bundle = joinPem([intermediate.certPem, root.certPem]);
    expect(splitPemCertificates(`junk\n${bundle}trailing`)).toEqual([intermediate.certPem, root.certPem]);
    expect(certFingerprint(root.certPem)).toMatch(/^[0-9a-f]{64}$/);
    const pem = await exportPrivateKeyPem(root.key);
    const back = await importPrivateKeyPem(pem);
    expect(await publicKeyDer(back.publicKey)).toEqual(await publicKeyDer(root.key.publicKey));
    const { createPrivateKey } = await import('node:crypto');
    const sec1 = createPrivateKey(pem).export({ type: 'sec1', format: 'pem' }).toString();
    expect(sec1).toMatch(/BEGIN EC PRIVATE KEY/);
    expect((await importPrivateKeyPem(sec1)).spec).toEqual({ type: 'ec', curve: 'P-256' });
  });
});
