import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../index';

describe('parseDocuments', () => {
  it('splits multi-document YAML and skips empty documents', () => {
    const r = parseDocuments('---\nkind: A\n---\n\n---\n# only a comment\n---\nkind: B\n...\n');
    expect(r).toEqual({ ok: true, value: [{ kind: 'A' }, { kind: 'B' }] });
  });

  it('returns nothing for empty input', () => {
    expect(parseDocuments('')).toEqual({ ok: true, value: [] });
    expect(parseDocuments('\n---\n---\n')).toEqual({ ok: true, value: [] });
  });

  it('reads a JSON document and a JSON array', () => {
    expect(parseDocuments('{"kind": "Gateway", "spec": {"servers": []}}')).toEqual({ ok: true, value: [{ kind: 'Gateway', spec: { servers: [] } }] });
    expect(parseDocuments('[{"kind": "A"}, {"kind": "B"}]')).toEqual({ ok: true, value: [{ kind: 'A' }, { kind: 'B' }] });
  });

  it('flattens kind: List, in JSON and YAML, including kubectl-style <X>List', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'A' }, { kind: 'List', items: [{ kind: 'B' }] }] });
    expect(parseDocuments(json)).toEqual({ ok: true, value: [{ kind: 'A' }, { kind: 'B' }] });
    const yaml = 'apiVersion: networking.istio.io/v1\nkind: VirtualServiceList\nitems:\n- kind: VirtualService\n- kind: VirtualService\n---\nkind: C\n';
    expect(parseDocuments(yaml)).toEqual({ ok: true, value: [{ kind: 'VirtualService' }, { kind: 'VirtualService' }, { kind: 'C' }] });
  });

  it('reports a syntax error with its document index, line and column', () => {
    const r = parseDocuments('kind: A\n---\nkind: B\nspec:\n  hosts: [a, b\n---\nkind: C\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0].path).toBe('documents[1]');
    expect(r.errors[0].message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
  });

  it('rejects duplicate keys, as Kubernetes strict decoding does', () => {
    const r = parseDocuments('kind: A\nkind: B\n');
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'documents[0]', message: expect.stringMatching(/line 2, column 1: .*unique/i) }] });
  });

  it('uses the YAML 1.2 core schema (yes/on are strings) and supports anchors', () => {
    const r = parseDocuments('a: yes\nb: on\nbase: &b {x: 1}\nc: *b\n');
    expect(r).toEqual({ ok: true, value: [{ a: 'yes', b: 'on', base: { x: 1 }, c: { x: 1 } }] });
  });

  it('falls back to YAML for JSON with a syntax error and reports it', () => {
    const r = parseDocuments('{"kind": "A",, }');
    expect(r.ok).toBe(false);
  });
});
