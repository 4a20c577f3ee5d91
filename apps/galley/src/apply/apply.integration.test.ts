import { decodeJson, encodeJson } from '@mizzen/bus';
import { GalleyApply, GalleyDelete, type StoredConfig } from '@mizzen/contracts';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GalleyHarness, snapshot, startGalleyHarness } from '../testing/galley-harness';

let h: GalleyHarness;

beforeAll(async () => {
  h = await startGalleyHarness();
});
afterAll(async () => {
  await h?.stop();
});

const BOOKINFO_EXTERNAL = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin-ext
  namespace: shop
spec:
  hosts: [httpbin.org]
  ports:
    - number: 80
      name: http
      protocol: HTTP
  resolution: DNS
  location: MESH_EXTERNAL
---
apiVersion: networking.istio.io/v1beta1
kind: WorkloadEntry
metadata:
  name: vm-1
  namespace: shop
  labels: {app: ratings}
spec:
  address: 10.0.0.7
  labels: {app: ratings, version: v3}
  serviceAccount: ratings-vm
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
    - route:
        - destination: {host: ratings}
`;

const apply = (documents: string, over: { dryRun?: boolean; source?: string } = {}) =>
  h.client.request(GalleyApply, { documents, source: over.source ?? 'api', defaultNamespace: 'default', dryRun: over.dryRun ?? false });

describe('apply', () => {
  it('writes every resource of valid multi-document YAML with its KV revision', async () => {
    const reply = await apply(BOOKINFO_EXTERNAL);
    expect(reply.accepted).toBe(true);
    expect(reply.results.map((r) => [r.kind, r.namespace, r.name, r.outcome])).toEqual([
      ['ServiceEntry', 'shop', 'httpbin-ext', 'created'],
      ['WorkloadEntry', 'shop', 'vm-1', 'created'],
      ['VirtualService', 'default', 'ratings', 'created'],
    ]);
    const kv = await snapshot(h.configKv);
    for (const r of reply.results) {
      const e = kv[`${r.kind}/${r.namespace}/${r.name}`];
      expect(e.revision).toBe(r.revision);
      expect(e.value).toMatchObject({ kind: r.kind, source: 'api', metadata: { name: r.name, namespace: r.namespace, generation: 1 } });
    }
    expect((kv['WorkloadEntry/shop/vm-1'].value as StoredConfig).spec).toEqual({ address: '10.0.0.7', labels: { app: 'ratings', version: 'v3' }, serviceAccount: 'ratings-vm' });
  });

  it('is idempotent, and bumps the generation only when a spec changes', async () => {
    const again = await apply(BOOKINFO_EXTERNAL);
    expect(again.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const changed = await apply(BOOKINFO_EXTERNAL.replace('10.0.0.7', '10.0.0.8'));
    expect(changed.results.map((r) => r.outcome)).toEqual(['unchanged', 'configured', 'unchanged']);
    const stored = await h.configKv.get('WorkloadEntry/shop/vm-1');
    expect(stored?.revision).toBe(changed.results[1].revision);
    expect((stored?.value as StoredConfig).metadata.generation).toBe(2);
  });

  it('writes nothing when one resource is invalid, and names the field path', async () => {
    const before = await snapshot(h.configKv);
    const bad = `${BOOKINFO_EXTERNAL.replace('10.0.0.8', '10.0.0.9')}---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: broken, namespace: shop}
spec:
  hosts: [broken.example.com]
  ports: [{number: 70000, name: http}]
`;
    const reply = await apply(bad.replace('10.0.0.7', '10.0.0.9'));
    expect(reply.accepted).toBe(false);
    const broken = reply.results.find((r) => r.name === 'broken');
    expect(broken?.outcome).toBe('invalid');
    expect(broken?.errors?.map((e) => e.path)).toContain('spec.ports[0].number');
    expect(reply.results.find((r) => r.name === 'vm-1')?.outcome).toBe('configured'); // would-be outcome
    expect(await snapshot(h.configKv)).toEqual(before);
  });

  it('reports YAML errors and documents without kind at the top level', async () => {
    const reply = await apply('apiVersion: networking.istio.io/v1\nmetadata: {name: x}\n---\nfoo: [');
    expect(reply.accepted).toBe(false);
    expect(reply.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['documents[1]']));
  });

  it('dry runs validate and plan only', async () => {
    const before = await snapshot(h.configKv);
    const reply = await apply(BOOKINFO_EXTERNAL.replace('httpbin.org', 'example.org'), { dryRun: true });
    expect(reply.accepted).toBe(true);
    expect(reply.results[0]).toMatchObject({ outcome: 'configured' });
    expect(reply.results[0].revision).toBeUndefined();
    expect(await snapshot(h.configKv)).toEqual(before);
  });

  it('answers a payload that breaks the contract with field paths (raw NATS client)', async () => {
    const msg = await h.client.nc.request(GalleyApply.subject, encodeJson({ documents: 42, dryRun: 'no' }), { timeout: 2000 });
    const body = decodeJson(msg.data);
    expect(msg.headers?.get('Nats-Service-Error-Code')).toBe('400');
    const paths = ((body.ok ? body.value : {}) as { error: { errors: { path: string }[] } }).error.errors.map((e) => e.path);
    expect(paths).toEqual(['documents', 'dryRun']);
    await expect(h.client.request(GalleyApply, { documents: 1 } as never)).rejects.toMatchObject({ code: 'invalid-request', errors: [{ path: 'documents' }] });
  });

  it('derives registry records from ServiceEntry and WorkloadEntry', async () => {
    await waitFor(async () => {
      const reg = await snapshot(h.registryKv);
      expect(reg['service/shop/httpbin.org']?.value).toMatchObject({ hostname: 'httpbin.org', resolution: 'DNS', ports: [{ number: 80, protocol: 'HTTP' }], source: { kind: 'ServiceEntry', name: 'httpbin-ext' } });
      expect(reg['workload/shop/vm-1']?.value).toMatchObject({ address: '10.0.0.8', serviceAccount: 'ratings-vm', source: { kind: 'WorkloadEntry' } });
      return true;
    });
  });
});

describe('a large apply (written concurrently)', () => {
  const many = (n: number, port = 443, from = 0) =>
    Array.from({ length: n }, (_, i) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: bulk-${from + i}, namespace: bulk}\nspec:\n  hosts: [bulk-${from + i}.example.com]\n  ports: [{number: ${port}, name: tls, protocol: TLS}]\n  resolution: DNS\n`).join('---\n');

  it('writes every resource in document order with its revision, and derives every registry record', async () => {
    const reply = await apply(many(200));
    expect(reply.accepted).toBe(true);
    expect(reply.results.map((r) => r.name)).toEqual(Array.from({ length: 200 }, (_, i) => `bulk-${i}`));
    expect(new Set(reply.results.map((r) => r.outcome))).toEqual(new Set(['created']));
    const kv = await snapshot(h.configKv);
    for (const r of reply.results) expect(kv[`ServiceEntry/bulk/${r.name}`].revision).toBe(r.revision);
    await waitFor(async () => (await h.registryKv.keys()).filter((k) => k.startsWith('service/bulk/')).length === 200);
  });

  it('writes nothing when one resource of the batch is owned by a file', async () => {
    await h.configKv.put('ServiceEntry/bulk/bulk-200', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'bulk-200', namespace: 'bulk', generation: 1 },
      spec: { hosts: ['bulk-200.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
      source: 'file:bulk.yaml',
    });
    const before = await snapshot(h.configKv);
    const reply = await apply(many(201, 8443));
    expect(reply.accepted).toBe(false);
    expect(reply.results[200]).toMatchObject({ name: 'bulk-200', outcome: 'invalid' });
    expect(reply.results[0].outcome).toBe('configured'); // would-be outcome
    expect(await snapshot(h.configKv)).toEqual(before);
    const refs = Array.from({ length: 201 }, (_, i) => ({ kind: 'ServiceEntry', namespace: 'bulk', name: `bulk-${i}` }));
    await h.configKv.delete('ServiceEntry/bulk/bulk-200');
    const del = await h.client.request(GalleyDelete, { refs, defaultNamespace: 'default' });
    expect(del.results.filter((r) => r.outcome === 'deleted')).toHaveLength(200);
    await waitFor(async () => (await h.registryKv.keys()).filter((k) => k.startsWith('service/bulk/')).length === 0);
  });
});

describe('delete', () => {
  it('deletes by refs and by documents, reporting not-found', async () => {
    const byRefs = await h.client.request(GalleyDelete, {
      refs: [
        { kind: 'VirtualService', namespace: 'default', name: 'ratings' },
        { kind: 'VirtualService', namespace: 'default', name: 'nope' },
      ],
      defaultNamespace: 'default',
    });
    expect(byRefs.results.map((r) => [r.name, r.outcome])).toEqual([
      ['ratings', 'deleted'],
      ['nope', 'not-found'],
    ]);
    const byDocs = await h.client.request(GalleyDelete, { documents: BOOKINFO_EXTERNAL, defaultNamespace: 'default' });
    expect(byDocs.accepted).toBe(true);
    expect(byDocs.results.map((r) => r.outcome)).toEqual(['deleted', 'deleted', 'not-found']);
    expect(await h.configKv.keys()).toEqual([]);
  });

  it('removes the derived registry records', async () => {
    await waitFor(async () => (await h.registryKv.keys()).length === 0);
  });
});
