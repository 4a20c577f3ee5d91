import { GalleySecretApply, GalleySecretDelete, SecretBucket } from '@mizzen/contracts';
import type { KvStore } from '@mizzen/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GalleyHarness, startGalleyHarness } from '../testing/galley-harness';
import { makeTestCerts } from '../testing/test-certs';

const certs = makeTestCerts(['a', 'b']);
let h: GalleyHarness;
let kv: KvStore;

beforeAll(async () => {
  h = await startGalleyHarness();
  kv = await h.client.openKv(SecretBucket.name, { history: SecretBucket.history });
});
afterAll(async () => {
  await h?.stop();
  certs.remove();
});

const create = (name: string, data: Record<string, string>, namespace = 'istio-system') => h.client.request(GalleySecretApply, { name, namespace, type: 'tls', data, dryRun: false, source: 'api' });

describe('secrets over NATS (meshctl create/delete secret)', () => {
  it('stores a validated credential under <namespace>/<name>, replaces it on a new create, and is idempotent', async () => {
    const first = await create('httpbin-credential', { 'tls.crt': certs.read('a.crt'), 'tls.key': certs.read('a.key') });
    expect(first).toMatchObject({ accepted: true, outcome: 'created', namespace: 'istio-system', name: 'httpbin-credential', summary: { dnsNames: ['a.example.com'] } });
    const stored = await kv.get('istio-system/httpbin-credential');
    const parsed = SecretBucket.value(stored?.value);
    expect(parsed.ok && parsed.value).toMatchObject({ type: 'kubernetes.io/tls', certChain: certs.read('a.crt'), privateKey: certs.read('a.key'), source: 'api' });
    expect(stored?.revision).toBe(first.revision);
    expect(JSON.stringify(first)).not.toContain('PRIVATE KEY');
    const same = await create('httpbin-credential', { 'tls.crt': certs.read('a.crt'), 'tls.key': certs.read('a.key') });
    expect(same.outcome).toBe('unchanged');
    const rotated = await create('httpbin-credential', { 'tls.crt': certs.read('b.crt'), 'tls.key': certs.read('b.key') });
    expect(rotated).toMatchObject({ outcome: 'configured', summary: { dnsNames: ['b.example.com'] } });
  });

  it('refuses invalid material with field paths and writes nothing', async () => {
    const bad = await create('broken', { 'tls.crt': certs.read('a.crt'), 'tls.key': certs.read('b.key') });
    expect(bad).toMatchObject({ accepted: false, outcome: 'invalid', errors: [{ path: 'data["tls.key"]' }] });
    expect(await kv.get('istio-system/broken')).toBeUndefined();
    await expect(h.client.request(GalleySecretApply, { name: 'Bad_Name', namespace: 'x', type: 'tls', data: {} } as never)).rejects.toMatchObject({ code: 'invalid-request', errors: [{ path: 'name' }] });
  });

  it('deletes (purging the material) and reports not-found', async () => {
    expect(await h.client.request(GalleySecretDelete, { name: 'httpbin-credential', namespace: 'istio-system' })).toEqual({ outcome: 'deleted', namespace: 'istio-system', name: 'httpbin-credential' });
    expect(await kv.get('istio-system/httpbin-credential')).toBeUndefined();
    expect((await h.client.request(GalleySecretDelete, { name: 'httpbin-credential', namespace: 'istio-system' })).outcome).toBe('not-found');
  });
});
