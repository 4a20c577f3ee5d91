import { X509Certificate } from 'node:crypto';
import { isBusError } from '@mizzen/bus';
import { CitadelSign, CitadelToken } from '@mizzen/contracts';
import { createCsr, generateKeyPair } from '@mizzen/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CitadelHarness, startCitadelHarness } from '../testing/citadel-harness';
import { opensslVerify } from '../testing/openssl';

let h: CitadelHarness;
beforeAll(async () => {
  h = await startCitadelHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isBusError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('mizzen.citadel.sign.v1 (control-plane peers)', () => {
  it('signs Pilot’s serving CSR with DNS/IP SANs and a control-plane SPIFFE ID; the chain verifies', async () => {
    const key = await generateKeyPair();
    const csr = await createCsr(key, { uris: ['spiffe://cluster.local/ns/mizzen-system/sa/pilot'], dnsNames: ['pilot.mizzen-system.svc', 'localhost'], ipAddresses: ['127.0.0.1'] });
    const reply = await h.client.request(CitadelSign, { csr, requester: 'pilot-test', ttlSeconds: 7200 });
    expect(JSON.stringify(reply)).not.toMatch(/PRIVATE KEY/);
    const [leaf, intermediate, roots] = reply.certChain;
    expect(reply.trustBundle).toEqual([roots]);
    const v = await opensslVerify({ roots, intermediates: intermediate, leaf });
    expect(v.output).toMatch(/leaf\.pem: OK/);
    expect(new X509Certificate(leaf).subjectAltName).toBe('URI:spiffe://cluster.local/ns/mizzen-system/sa/pilot, DNS:pilot.mizzen-system.svc, DNS:localhost, IP Address:127.0.0.1');
    expect(Date.parse(reply.notAfter) - Date.now()).toBeGreaterThan(7100_000);
  });

  it('refuses a workload identity, naming the offending SAN', async () => {
    const csr = await createCsr(await generateKeyPair(), { uris: ['spiffe://cluster.local/ns/default/sa/reviews'], dnsNames: ['ok.example'] });
    const r = await rejection(h.client.request(CitadelSign, { csr, requester: 'test' }));
    expect(r.code).toBe('invalid-request');
    expect(r.message).toMatch(/csr\.san\.uri\[0\]: "spiffe:\/\/cluster\.local\/ns\/default\/sa\/reviews" is not a SPIFFE ID of the control plane/);
  });

  it('refuses an unreadable CSR and an unknown field', async () => {
    const bad = await rejection(h.client.request(CitadelSign, { csr: 'junk', requester: 'test' }));
    expect(bad.message).toMatch(/csr: not a PEM certificate request/);
    const unknown = await rejection(h.client.request(CitadelSign, { csr: 'x', requester: 'test', key: 'x' } as never));
    expect(unknown.code).toBe('invalid-request');
  });
});

describe('mizzen.citadel.token.v1', () => {
  it('mints a token for the identity with the requested lifetime, and refuses one too long', async () => {
    const reply = await h.client.request(CitadelToken, { namespace: 'default', serviceAccount: 'reviews', ttlSeconds: 600, requester: 'meshctl' });
    expect(reply.spiffeId).toBe('spiffe://cluster.local/ns/default/sa/reviews');
    expect(Math.abs(Date.parse(reply.expiresAt) - Date.now() - 600_000)).toBeLessThan(5000);
    expect(reply.token.split('.')).toHaveLength(3);
    const tooLong = await rejection(h.client.request(CitadelToken, { namespace: 'default', serviceAccount: 'reviews', ttlSeconds: 8 * 86400, requester: 'meshctl' }));
    expect(tooLong.message).toMatch(/ttlSeconds: exceeds the maximum/);
    const badNs = await rejection(h.client.request(CitadelToken, { namespace: 'Default/x', serviceAccount: 'reviews', requester: 'meshctl' }));
    expect(badNs.code).toBe('invalid-request');
  });
});
