import type { StoredConfig } from '@mizzen/contracts';
import { describe, expect, it } from 'vitest';
import { configApiValidator } from '../validation/config-api.validator';
import { applyReply, isAcceptable } from './apply-outcomes';
import { refsFromDocuments } from './delete-refs';
import { mayWrite } from './ownership';
import { planDelete, planWrite } from './plan-writes';
import { validateDocuments } from './validate-documents';

const NOW = '2024-05-01T00:00:00.000Z';

const se = (name: string, host: string, extra = '') => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ${name}${extra}
spec:
  hosts: [${host}]
  ports:
    - number: 443
      name: https
      protocol: TLS
  resolution: DNS
`;

describe('validateDocuments', () => {
  it('validates every document and keeps their order', () => {
    const r = validateDocuments(`${se('a', 'a.example.com')}---${se('b', 'b.example.com')}`, 'default', configApiValidator);
    expect(r.ok).toBe(true);
    expect(r.valid.map((v) => [v.ref.name, v.ref.namespace, v.document])).toEqual([
      ['a', 'default', 0],
      ['b', 'default', 1],
    ]);
  });

  it('collects invalid resources with field paths and unnamed documents under documents[i]', () => {
    const bad = `${se('a', 'a.example.com')}---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: b}
spec:
  hosts: [b.example.com]
  ports: [{number: 99999, name: x}]
---
apiVersion: networking.istio.io/v1
metadata: {name: c}
`;
    const r = validateDocuments(bad, 'default', configApiValidator);
    expect(r.ok).toBe(false);
    expect(r.valid.map((v) => v.ref.name)).toEqual(['a']);
    expect(r.invalid[0].ref).toEqual({ kind: 'ServiceEntry', namespace: 'default', name: 'b' });
    expect(r.invalid[0].errors.map((e) => e.path)).toContain('spec.ports[0].number');
    expect(r.errors.map((e) => e.path)).toEqual(['documents[2].kind']);
  });

  it('rejects the same resource twice in one text', () => {
    const r = validateDocuments(`${se('a', 'a.example.com')}---${se('a', 'x.example.com')}`, 'default', configApiValidator);
    expect(r.ok).toBe(false);
    expect(r.invalid).toEqual([expect.objectContaining({ document: 1, errors: [expect.objectContaining({ path: 'metadata.name', message: expect.stringMatching(/duplicate/) })] })]);
  });

  it('reports YAML syntax errors', () => {
    const r = validateDocuments('kind: [unclosed', 'default', configApiValidator);
    expect(r.ok).toBe(false);
    expect(r.errors[0].path).toBe('documents[0]');
  });
});

describe('planWrite', () => {
  const res = (host = 'a.example.com', labels = '') => validateDocuments(se('a', host, labels), 'default', configApiValidator).valid[0];
  const stored = (p: ReturnType<typeof planWrite>): StoredConfig => {
    if (p.action !== 'create' && p.action !== 'update') throw new Error(`no value: ${p.action}`);
    return p.value;
  };

  it('creates at generation 1 with the source and creation time', () => {
    const p = planWrite(res(), undefined, 'api', NOW);
    expect(p).toMatchObject({ action: 'create', key: 'ServiceEntry/default/a', outcome: 'created' });
    expect(stored(p).metadata).toEqual({ name: 'a', namespace: 'default', generation: 1, creationTimestamp: NOW });
    expect(stored(p).source).toBe('api');
  });

  it('is unchanged for the same content, configured with a new generation when the spec changes', () => {
    const v1 = stored(planWrite(res(), undefined, 'api', NOW));
    expect(planWrite(res(), { value: v1, revision: 7 }, 'api', 'later')).toEqual({ action: 'none', key: 'ServiceEntry/default/a', ref: expect.anything(), revision: 7, outcome: 'unchanged' });
    const p = planWrite(res('b.example.com'), { value: v1, revision: 7 }, 'api', 'later');
    expect(p).toMatchObject({ action: 'update', expectedRevision: 7, outcome: 'configured' });
    expect(stored(p).metadata).toMatchObject({ generation: 2, creationTimestamp: NOW });
  });

  it('keeps the generation when only metadata changes', () => {
    const v1 = stored(planWrite(res(), undefined, 'api', NOW));
    const withLabels = validateDocuments(se('a', 'a.example.com', '\n  labels: {team: x}'), 'default', configApiValidator).valid[0];
    const p = planWrite(withLabels, { value: v1, revision: 3 }, 'api', NOW);
    expect(p.action).toBe('update');
    expect(stored(p).metadata).toMatchObject({ generation: 1, labels: { team: 'x' } });
  });

  it('refuses to overwrite resources owned by a file, or to let a file take over', () => {
    const fileOwned = stored(planWrite(res(), undefined, 'file:a.yaml', NOW));
    expect(planWrite(res('b.example.com'), { value: fileOwned, revision: 1 }, 'api', NOW)).toMatchObject({ action: 'conflict', owner: 'file:a.yaml', error: { path: 'metadata' } });
    expect(planWrite(res('b.example.com'), { value: fileOwned, revision: 1 }, 'file:b.yaml', NOW)).toMatchObject({ action: 'conflict' });
    expect(planWrite(res('b.example.com'), { value: fileOwned, revision: 1 }, 'file:a.yaml', NOW)).toMatchObject({ action: 'update' });
    const apiOwned = stored(planWrite(res(), undefined, 'api', NOW));
    expect(planWrite(res(), { value: apiOwned, revision: 1 }, 'file:a.yaml', NOW)).toMatchObject({ action: 'conflict' });
    expect(planWrite(res(), { value: apiOwned, revision: 1 }, 'meshctl', NOW)).toMatchObject({ action: 'update', value: { source: 'meshctl' } });
  });
});

describe('ownership', () => {
  it('files own exclusively; API sources share', () => {
    expect(mayWrite('api', 'meshctl')).toBe(true);
    expect(mayWrite('file:x.yaml', 'file:x.yaml')).toBe(true);
    expect(mayWrite('file:x.yaml', 'api')).toBe(false);
    expect(mayWrite('api', 'file:x.yaml')).toBe(false);
  });
});

describe('applyReply', () => {
  it('lists every resource in document order with would-be outcomes when rejected', () => {
    const report = validateDocuments(`${se('a', 'a.example.com')}---\nkind: ServiceEntry\napiVersion: networking.istio.io/v1\nmetadata: {name: b}\nspec: {}\n`, 'default', configApiValidator);
    const plan = { report, writes: report.valid.map((r) => planWrite(r, undefined, 'api', NOW)) };
    expect(isAcceptable(plan)).toBe(false);
    const reply = applyReply(plan, false);
    expect(reply.accepted).toBe(false);
    expect(reply.results.map((r) => [r.name, r.outcome])).toEqual([
      ['a', 'created'],
      ['b', 'invalid'],
    ]);
    expect(reply.results[1].errors?.map((e) => e.path)).toContain('spec.hosts');
  });
});

describe('deletes', () => {
  it('reads refs leniently from documents', () => {
    expect(refsFromDocuments('kind: X\nmetadata: {name: a, namespace: n}\n---\nmetadata: {name: b}\n', 'default', configApiValidator)).toEqual({
      refs: [{ kind: 'X', namespace: 'n', name: 'a' }],
      errors: [{ path: 'documents[1].kind', message: 'required' }],
    });
  });

  it('plans deletes with the same ownership rule', () => {
    const ref = { kind: 'ServiceEntry', namespace: 'default', name: 'a' };
    const value = { apiVersion: 'v', kind: 'ServiceEntry', metadata: { name: 'a', namespace: 'default' }, spec: {}, source: 'file:x.yaml' };
    expect(planDelete(ref, undefined, 'api')).toMatchObject({ action: 'none', outcome: 'not-found' });
    expect(planDelete(ref, { value, revision: 4 }, 'api')).toMatchObject({ action: 'conflict' });
    expect(planDelete(ref, { value, revision: 4 }, 'file:x.yaml')).toMatchObject({ action: 'delete', expectedRevision: 4 });
  });
});
