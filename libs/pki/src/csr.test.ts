import { describe, expect, it } from 'vitest';
import { parseCsr } from './csr';
import { createCsr } from './csr-request';
import { exportPublicKeyPem, generateKeyPair, importPrivateKeyPem, publicKeyDer } from './keys';
import { openssl } from './testing/openssl';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ID = 'spiffe://cluster.local/ns/default/sa/reviews';

describe('CSRs', () => {
  it.each(['ECDSA-P256', 'RSA-2048'] as const)('round-trips a %s CSR: names, public key, verified signature', async (alg) => {
    const key = await generateKeyPair(alg);
    const pem = await createCsr(key, { uris: [ID], dnsNames: ['reviews.default.svc'] });
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(pem).not.toMatch(/PRIVATE KEY/);
    const r = await parseCsr(pem);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value).toMatchObject({ subject: '', uris: [ID], dnsNames: ['reviews.default.svc'], ipAddresses: [], emails: [], otherNames: [] });
    expect(r.value.keySpec).toEqual(alg === 'RSA-2048' ? { type: 'rsa', bits: 2048 } : { type: 'ec', curve: 'P-256' });
    expect(await publicKeyDer(r.value.publicKey)).toEqual(await publicKeyDer(key.publicKey));
  });

  it('parses a CSR made by openssl (subject, SANs of every kind)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-csr-'));
    try {
      const keyFile = path.join(dir, 'k.pem');
      const csrFile = path.join(dir, 'r.csr');
      const r = await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=evil', '-addext', `subjectAltName=URI:${ID},DNS:a.example,IP:10.0.0.1,email:x@example.com`]);
      expect(r.code, r.output).toBe(0);
      const parsed = await parseCsr(await fs.readFile(csrFile, 'utf8'));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.value).toMatchObject({ subject: 'CN=evil', uris: [ID], dnsNames: ['a.example'], ipAddresses: ['10.0.0.1'], emails: ['x@example.com'] });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('carries IPv4 and IPv6 SANs, and signs with a P-384 key loaded from openssl (ecdsa-with-SHA384)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-csr-'));
    try {
      const keyFile = path.join(dir, 'k.pem');
      expect((await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', keyFile])).code).toBe(0);
      const key = await importPrivateKeyPem(await fs.readFile(keyFile, 'utf8'));
      const pem = await createCsr(key, { uris: [ID], ipAddresses: ['127.0.0.1', '2001:db8::1'] });
      const r = await parseCsr(pem);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      expect(r.value).toMatchObject({ uris: [ID], ipAddresses: ['127.0.0.1', '2001:db8::1'], keySpec: { type: 'ec', curve: 'P-384' } });
      await fs.writeFile(path.join(dir, 'r.csr'), pem);
      const text = await openssl(['req', '-noout', '-text', '-verify', '-in', path.join(dir, 'r.csr')]);
      expect(text.code, text.output).toBe(0);
      expect(text.output).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
      expect(text.output).toMatch(/IP Address:127.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to build a CSR for an IP SAN that is not an address', async () => {
    await expect(createCsr(await generateKeyPair(), { ipAddresses: ['10.0.0'] })).rejects.toThrow(/not an IP address: 10.0.0/);
  });

  it('refuses a CSR whose signature does not match its key (tampered names)', async () => {
    const key = await generateKeyPair();
    const pem = await createCsr(key, { uris: [ID] });
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    // Change one letter of the SAN ("reviews" -> "reviewz") inside the signed request info.
    const at = der.indexOf(Buffer.from('reviews'));
    der[at + 6] = 'z'.charCodeAt(0);
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const r = await parseCsr(tampered);
    expect(r.ok ? [] : r.errors).toEqual([{ path: 'csr.signature', message: expect.stringMatching(/does not verify/) }]);
  });

  it('refuses text that is not a CSR, and garbage inside PEM armour', async () => {
    const key = await generateKeyPair();
    expect(await parseCsr(await exportPublicKeyPem(key))).toMatchObject({ ok: false, errors: [{ path: 'csr', message: 'not a PEM certificate request' }] });
    expect(await parseCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n')).toMatchObject({ ok: false, errors: [{ path: 'csr' }] });
  });

  it('leaves the subject empty and marks the SAN critical by default', async () => {
    const key = await generateKeyPair();
    const pem = await createCsr(key, { uris: [ID] });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-csr-'));
    try {
      await fs.writeFile(path.join(dir, 'r.csr'), pem);
      const r = await openssl(['req', '-noout', '-text', '-verify', '-in', path.join(dir, 'r.csr')]);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/Subject:\s*\n/);
      expect(r.output).toMatch(/X509v3 Subject Alternative Name: critical\s+URI:spiffe:\/\/cluster.local\/ns\/default\/sa\/reviews/);
      expect(r.output).toMatch(/verify OK|Certificate request self-signature verify OK/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
