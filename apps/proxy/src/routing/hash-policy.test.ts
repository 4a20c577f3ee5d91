import { describe, expect, it } from 'vitest';
import type { HashPolicy } from '../config/model';
import { xxHash64 } from '../util/xxhash64';
import { cookieValue, requestHash } from './hash-policy';
import type { RequestView } from './request-view';

const view = (headers: Record<string, string | string[]> = {}, path = '/'): RequestView => ({ method: 'GET', authority: 'svc', path, scheme: 'http', headers });
const src = { ip: '10.1.2.3', address: '10.1.2.3:5555' };
const header = (name: string, terminal = false): HashPolicy => ({ kind: 'header', name, terminal });

describe('request hash (route hash policies)', () => {
  it('hashes a header with xxHash64; absent header gives no hash', () => {
    expect(requestHash([header('x-user')], view({ 'x-user': 'jason' }), src).hash).toBe(xxHash64('jason'));
    expect(requestHash([header('x-user')], view(), src).hash).toBeUndefined();
  });

  it('is independent of the order of repeated header values', () => {
    const a = requestHash([header('x-user')], view({ 'x-user': ['a', 'b'] }), src).hash;
    expect(requestHash([header('x-user')], view({ 'x-user': ['b', 'a'] }), src).hash).toBe(a);
  });

  it('combines policies and stops at a terminal one that produced a hash', () => {
    const both = requestHash([header('a'), header('b')], view({ a: '1', b: '2' }), src).hash;
    expect(both).not.toBe(xxHash64('1'));
    expect(requestHash([header('a', true), header('b')], view({ a: '1', b: '2' }), src).hash).toBe(xxHash64('1'));
  });

  it('hashes a cookie, and generates one (Set-Cookie) when absent and a ttl is set', () => {
    const p: HashPolicy = { kind: 'cookie', name: 'sticky', ttlMs: 3_600_000, path: '/app', terminal: false };
    expect(requestHash([p], view({ cookie: 'a=1; sticky="abc"' }), src)).toEqual({ hash: xxHash64('abc') });
    const gen = requestHash([p], view(), src);
    const value = xxHash64(src.address).toString(16).padStart(16, '0');
    expect(gen).toEqual({ hash: xxHash64(value), setCookie: `sticky="${value}"; Max-Age=3600; Path=/app; HttpOnly` });
    // The generated cookie, sent back, hashes the same.
    expect(requestHash([p], view({ cookie: gen.setCookie?.split(';')[0] ?? '' }), src).hash).toBe(gen.hash);
    expect(requestHash([{ ...p, ttlMs: undefined }], view(), src)).toEqual({});
  });

  it('hashes the source IP and a query parameter', () => {
    expect(requestHash([{ kind: 'source-ip', terminal: false }], view(), src).hash).toBe(xxHash64('10.1.2.3'));
    expect(requestHash([{ kind: 'query', name: 'u', terminal: false }], view({}, '/x?u=7&v=1'), src).hash).toBe(xxHash64('7'));
  });

  it('reads cookies across headers', () => {
    expect(cookieValue(view({ cookie: ['x=1', 'y=2; z=3'] }), 'z')).toBe('3');
  });
});
