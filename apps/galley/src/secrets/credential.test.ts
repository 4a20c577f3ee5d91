import { afterAll, describe, expect, it } from 'vitest';
import { makeTestCerts } from '../testing/test-certs';
import { parseCredential } from './credential';

const certs = makeTestCerts(['a', 'b']);
const read = certs.read;
afterAll(() => certs.remove());

describe('credential validation (meshctl create secret)', () => {
  it('accepts a tls secret with a CA, normalises it and summarises the leaf without material', () => {
    const r = parseCredential({ type: 'tls', data: { 'tls.crt': read('a.crt'), 'tls.key': read('a.key'), 'ca.crt': read('ca.crt') } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ type: 'kubernetes.io/tls', dataKeys: ['ca.crt', 'tls.crt', 'tls.key'], privateKey: read('a.key') });
    expect(r.value.summary).toMatchObject({ subject: 'CN=a.example.com', dnsNames: ['a.example.com'], caCertificates: 1 });
    expect(r.value.summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(r.value.summary)).not.toContain('PRIVATE KEY');
  });

  it("accepts Istio's cert/key/cacert keys and a CA-only generic secret", () => {
    expect(parseCredential({ type: 'generic', data: { cert: read('b.crt'), key: read('b.key') } }).ok).toBe(true);
    const ca = parseCredential({ type: 'generic', data: { 'ca.crt': read('ca.crt') } });
    expect(ca.ok && ca.value.certChain === undefined && ca.value.caCert).toBeTruthy();
  });

  it('names the data key of every problem: mismatched key, unreadable PEM, unknown or missing keys', () => {
    const mismatch = parseCredential({ type: 'tls', data: { 'tls.crt': read('a.crt'), 'tls.key': read('b.key') } });
    expect(mismatch).toEqual({ ok: false, errors: [{ path: 'data["tls.key"]', message: 'the private key does not match the certificate in tls.crt' }] });
    const garbage = parseCredential({ type: 'tls', data: { 'tls.crt': 'hello', 'tls.key': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } });
    expect(!garbage.ok && garbage.errors.map((e) => e.path)).toEqual(['data["tls.crt"]']);
    const badKey = parseCredential({ type: 'tls', data: { 'tls.crt': read('a.crt'), 'tls.key': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } });
    expect(!badKey.ok && badKey.errors[0]).toMatchObject({ path: 'data["tls.key"]', message: expect.stringMatching(/^not a readable private key/) });
    const unknown = parseCredential({ type: 'generic', data: { 'tls.crt': read('a.crt'), 'tls.key': read('a.key'), key: read('a.key') } });
    expect(!unknown.ok && unknown.errors.map((e) => e.path)).toEqual(['data["key"]']);
    const noKey = parseCredential({ type: 'tls', data: { 'tls.crt': read('a.crt') } });
    expect(!noKey.ok && noKey.errors.map((e) => e.path)).toEqual(['data["tls.key"]']);
    expect(parseCredential({ type: 'generic', data: {} })).toMatchObject({ ok: false, errors: [{ path: 'data' }] });
  });

  it('refuses an expired certificate', () => {
    const r = parseCredential({ type: 'tls', data: { 'tls.crt': read('a.crt'), 'tls.key': read('a.key') } }, Date.now() + 3 * 86_400_000);
    expect(!r.ok && r.errors[0]).toMatchObject({ path: 'data["tls.crt"]', message: expect.stringMatching(/^the certificate expired on /) });
  });
});
