import { describe, expect, it } from 'vitest';
import { formatWorkloadId, parseSpiffeId, parseWorkloadId } from './spiffe';

describe('SPIFFE IDs', () => {
  it('formats and parses Istio workload IDs', () => {
    const id = formatWorkloadId({ trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'bookinfo-productpage' });
    expect(id).toBe('spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
    expect(parseWorkloadId(id)).toEqual({ ok: true, value: { trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'bookinfo-productpage' } });
  });

  it('accepts a bare trust domain ID', () => {
    expect(parseSpiffeId('spiffe://example.org')).toEqual({ ok: true, value: { trustDomain: 'example.org', path: '' } });
  });

  it.each([
    ['http://cluster.local/ns/a/sa/b', 'scheme'],
    ['SPIFFE://cluster.local/ns/a/sa/b', 'scheme'],
    ['spiffe://Cluster.Local/ns/a/sa/b', 'trustDomain'],
    ['spiffe://cluster.local:8443/ns/a/sa/b', 'trustDomain'],
    ['spiffe://user@cluster.local/ns/a', 'trustDomain'],
    ['spiffe:///ns/a', 'trustDomain'],
    ['spiffe://cluster.local/ns//sa/b', 'path[1]'],
    ['spiffe://cluster.local/ns/a/', 'path[2]'],
    ['spiffe://cluster.local/ns/../sa/b', 'path[1]'],
    ['spiffe://cluster.local/ns/a?x=1', 'path[1]'],
    ['spiffe://cluster.local/ns/a%20b', 'path[1]'],
  ])('refuses %s (%s)', (uri, path) => {
    const r = parseSpiffeId(uri);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toContain(path);
  });

  it('refuses IDs that are not /ns/<ns>/sa/<sa> as workload IDs', () => {
    expect(parseWorkloadId('spiffe://cluster.local/ns/a/sa/b/extra').ok).toBe(false);
    expect(parseWorkloadId('spiffe://cluster.local/sa/b/ns/a').ok).toBe(false);
    expect(() => formatWorkloadId({ trustDomain: 'cluster.local', namespace: 'a/b', serviceAccount: 'c' })).toThrow(/single path segments|not \/ns/);
    expect(() => formatWorkloadId({ trustDomain: 'cluster.local', namespace: '..', serviceAccount: 'c' })).toThrow(/relative segment/);
  });
});
