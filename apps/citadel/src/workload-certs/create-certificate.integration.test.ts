import fs from 'node:fs/promises';
import path from 'node:path';
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { createCsr, generateKeyPair, joinPem, splitPemCertificates } from '@mizzen/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwtEs256 } from '../auth/jwt-es256';
import { openTokenKey } from '../auth/token-key';
import { CaDir } from '../ca/ca-files';
import { type CitadelHarness, startCitadelHarness } from '../testing/citadel-harness';
import { opensslVerify } from '../testing/openssl';

const ID = 'spiffe://cluster.local/ns/default/sa/reviews';
const csrFor = async (sans: { uris?: string[]; dnsNames?: string[] }) => createCsr(await generateKeyPair(), sans);

let h: CitadelHarness;
beforeAll(async () => {
  h = await startCitadelHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('CreateCertificate over gRPC (istio.v1.auth.IstioCertificateService)', () => {
  it('issues a chain [leaf, intermediate, root] for the proven identity that openssl verifies', async () => {
    const token = await h.token('default', 'reviews');
    const r = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token });
    if (!r.ok) throw new Error(`${r.code}: ${r.details}`);
    expect(r.chain).toHaveLength(3);
    const [leaf, intermediate, root] = r.chain;
    expect(root).toBe((await fs.readFile(path.join(h.caDir, 'root-cert.pem'), 'utf8')));
    const v = await opensslVerify({ roots: root, intermediates: intermediate, leaf });
    expect(v.output).toMatch(/leaf\.pem: OK/);
    const x = new X509Certificate(leaf);
    expect(x.subjectAltName).toBe(`URI:${ID}`);
    expect(x.subject ?? '').toBe(''); // node reports an empty subject as undefined
    // Default TTL 24 h (plus the one-minute backdate).
    expect(Date.parse(x.validTo) - Date.parse(x.validFrom)).toBe(24 * 3600_000 + 60_000);
  });

  it('honours validity_duration and refuses one above the maximum', async () => {
    const token = await h.token('default', 'reviews');
    const r = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token, validitySeconds: 3600 });
    if (!r.ok) throw new Error(r.details);
    const x = new X509Certificate(r.chain[0]);
    expect(Date.parse(x.validTo) - Date.parse(x.validFrom)).toBe(3600_000 + 60_000);
    const tooLong = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token, validitySeconds: 91 * 86400 });
    expect(tooLong).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/exceeds the maximum/) });
  });

  it('refuses a CSR for another identity than the token proves', async () => {
    const token = await h.token('default', 'reviews');
    const r = await h.ca.createCertificate(await csrFor({ uris: ['spiffe://cluster.local/ns/default/sa/ratings'] }), { token });
    expect(r).toEqual({ ok: false, code: grpc.status.PERMISSION_DENIED, details: `CSR asks for spiffe://cluster.local/ns/default/sa/ratings but the caller proved ${ID}` });
  });

  it('refuses a CSR with extra SANs, or with none', async () => {
    const token = await h.token('default', 'reviews');
    const extra = await h.ca.createCertificate(await csrFor({ uris: [ID], dnsNames: ['reviews.default.svc'] }), { token });
    expect(extra).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED, details: expect.stringMatching(/extra SANs \(DNS:reviews\.default\.svc\)/) });
    const twoUris = await h.ca.createCertificate(await csrFor({ uris: [ID, 'spiffe://cluster.local/ns/default/sa/ratings'] }), { token });
    expect(twoUris).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED });
    const none = await h.ca.createCertificate(await csrFor({ dnsNames: ['x.example'] }), { token });
    expect(none).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED, details: expect.stringMatching(/no URI SAN/) });
  });

  it('refuses a call without a token', async () => {
    const r = await h.ca.createCertificate(await csrFor({ uris: [ID] }));
    expect(r).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/no bearer token/) });
  });

  it('refuses a forged token (right key id, wrong key) and a tampered one', async () => {
    const tokenKey = await openTokenKey(new CaDir(h.caDir));
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'mizzen-citadel', aud: 'mizzen-ca', sub: ID, ns: 'default', sa: 'reviews', iat: now, nbf: now, exp: now + 3600, jti: randomUUID() };
    const forged = signJwtEs256(claims, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, tokenKey.kid);
    const r = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token: forged });
    expect(r).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: 'bootstrap token rejected: bad signature' });

    // A real token for ratings whose payload is swapped for one naming reviews.
    const real = (await h.token('default', 'ratings')).split('.');
    const swapped = [real[0], Buffer.from(JSON.stringify(claims)).toString('base64url'), real[2]].join('.');
    expect(await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token: swapped })).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED });

    const foreign = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token: 'not-a-jwt' });
    expect(foreign).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/not issued by this Citadel/) });
  });

  it('refuses an expired token', async () => {
    const tokenKey = await openTokenKey(new CaDir(h.caDir));
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = signJwtEs256({ iss: 'mizzen-citadel', aud: 'mizzen-ca', sub: ID, ns: 'default', sa: 'reviews', iat: past, nbf: past, exp: past + 3600, jti: randomUUID() }, tokenKey.privateKey, tokenKey.kid);
    const r = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token: expired });
    expect(r).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/^bootstrap token rejected: expired at /) });
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const token = await h.token('default', 'reviews');
    const pem = await csrFor({ uris: [ID] });
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0xff;
    const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const r = await h.ca.createCertificate(bad, { token });
    expect(r).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/^invalid CSR: csr/) });
  });

  it('keeps the CA key out of every answer and the key files at mode 0600', async () => {
    const token = await h.token('default', 'reviews');
    const r = await h.ca.createCertificate(await csrFor({ uris: [ID] }), { token });
    if (!r.ok) throw new Error(r.details);
    expect(r.chain.join('')).not.toMatch(/PRIVATE KEY/);
    expect(splitPemCertificates(joinPem(r.chain))).toHaveLength(3);
    for (const f of ['ca-key.pem', 'root-key.pem', 'token-key.pem', 'ca-cert.pem', 'root-cert.pem', 'cert-chain.pem']) {
      expect(((await fs.stat(path.join(h.caDir, f))).mode & 0o777).toString(8), f).toBe('600');
    }
    expect(((await fs.stat(h.caDir)).mode & 0o777).toString(8)).toBe('700');
    // The key on disk is the one that signed the intermediate's children.
    expect(createPrivateKey(await fs.readFile(path.join(h.caDir, 'ca-key.pem'), 'utf8')).asymmetricKeyType).toBe('ec');
  });
});
