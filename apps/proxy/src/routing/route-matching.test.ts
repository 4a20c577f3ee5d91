import type * as xds from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { routeConfig } from '../config/translate/route-config';
import { Issues } from '../config/translate/issues';
import type { RequestView } from './request-view';
import { RouteTable } from './route-table';

function table(rc: xds.RouteConfiguration): RouteTable {
  const issues = new Issues();
  const config = routeConfig(rc, '', issues);
  expect(issues.errors).toEqual([]);
  return new RouteTable(config);
}

const req = (authority: string, path: string, headers: Record<string, string> = {}, method = 'GET'): RequestView => ({ method, authority, path, scheme: 'http', headers });

/** Each route is named after the cluster it sends to, so a test can say which route won. */
const r = (name: string, match: xds.RouteMatch): xds.Route => ({ name, match, route: { cluster: name } });

describe('virtual host selection (Envoy precedence)', () => {
  const t = table({
    name: 'rc',
    virtualHosts: [
      { name: 'any', domains: ['*'], routes: [r('any', { prefix: '/' })] },
      { name: 'prefix', domains: ['reviews.*'], routes: [r('prefix', { prefix: '/' })] },
      { name: 'suffix', domains: ['*.example.com'], routes: [r('suffix', { prefix: '/' })] },
      { name: 'longer-suffix', domains: ['*.api.example.com'], routes: [r('longer-suffix', { prefix: '/' })] },
      { name: 'exact', domains: ['reviews:9080', 'reviews.default:9080', 'Reviews.default.svc.cluster.local:9080'], routes: [r('exact', { prefix: '/' })] },
      { name: 'port80', domains: ['ratings', 'ratings:80'], routes: [r('port80', { prefix: '/' })] },
    ],
  });
  it.each([
    ['reviews:9080', 'exact'],
    ['REVIEWS.default:9080', 'exact'],
    ['reviews.default.svc.cluster.local:9080', 'exact'],
    ['reviews.internal', 'prefix'],
    ['reviews:9081', 'any'],
    ['a.api.example.com', 'longer-suffix'],
    ['b.example.com', 'suffix'],
    ['example.com', 'any'],
    ['ratings', 'port80'],
    ['ratings:80', 'port80'],
    ['ratings:8080', 'any'],
  ])('%s -> %s', (authority, want) => {
    expect(t.select(req(authority, '/'))?.route.name).toBe(want);
  });

  it('ignores the port when the route configuration says so', () => {
    const t2 = table({ name: 'gw', ignorePortInHostMatching: true, virtualHosts: [{ name: 'bookinfo', domains: ['bookinfo.com'], routes: [r('bookinfo', { prefix: '/' })] }] });
    expect(t2.select(req('bookinfo.com:8080', '/'))?.route.name).toBe('bookinfo');
  });

  it('returns nothing when no virtual host matches (404 NR)', () => {
    const t2 = table({ name: 'x', virtualHosts: [{ name: 'a', domains: ['a'], routes: [r('a', { prefix: '/' })] }] });
    expect(t2.select(req('b', '/'))).toBeUndefined();
  });
});

describe('route matching', () => {
  const t = table({
    name: 'rc',
    virtualHosts: [
      {
        name: 'vh',
        domains: ['*'],
        routes: [
          r('exact', { path: '/productpage' }),
          r('ci-prefix', { prefix: '/API/', caseSensitive: { value: false } }),
          r('regex', { safeRegex: { regex: '/reviews/[0-9]+' } }),
          r('separated', { pathSeparatedPrefix: '/static' }),
          r('jason', { prefix: '/ratings', headers: [{ name: 'end-user', stringMatch: { exact: 'jason' } }] }),
          r('ua-prefix', { prefix: '/ratings', headers: [{ name: 'user-agent', stringMatch: { prefix: 'curl/' } }] }),
          r('suffix', { prefix: '/ratings', headers: [{ name: 'x-env', stringMatch: { suffix: '-canary' } }] }),
          r('contains', { prefix: '/ratings', headers: [{ name: 'cookie', stringMatch: { contains: 'beta=1', ignoreCase: true } }] }),
          r('regex-header', { prefix: '/ratings', headers: [{ name: 'x-version', stringMatch: { safeRegex: { regex: 'v[23]' } } }] }),
          r('present', { prefix: '/ratings', headers: [{ name: 'x-debug', presentMatch: true }] }),
          r('not-post', { prefix: '/ratings', headers: [{ name: ':method', stringMatch: { exact: 'POST' }, invertMatch: true }] }),
          r('post', { prefix: '/ratings' }),
          r('authority', { prefix: '/', headers: [{ name: ':authority', stringMatch: { exact: 'special:9080' } }] }),
          r('path-header', { prefix: '/', headers: [{ name: ':path', stringMatch: { contains: 'debug=1' } }] }),
          r('query', { prefix: '/', queryParameters: [{ name: 'v', stringMatch: { exact: '2' } }] }),
          r('default', { prefix: '/' }),
        ],
      },
    ],
  });
  it.each<[string, string, string, Record<string, string>?, string?]>([
    ['exact path', '/productpage', 'exact'],
    ['exact path ignores the query string', '/productpage?u=normal', 'exact'],
    ['exact is exact', '/productpage/x', 'default'],
    ['case-insensitive prefix', '/api/v1', 'ci-prefix'],
    ['regex must match the whole path', '/reviews/12', 'regex'],
    ['regex full match fails on extra chars', '/reviews/12/x', 'default'],
    ['path-separated prefix: exact', '/static', 'separated'],
    ['path-separated prefix: segment', '/static/app.js', 'separated'],
    ['path-separated prefix: not a segment', '/staticfile', 'default'],
    ['header exact', '/ratings/1', 'jason', { 'end-user': 'jason' }, 'POST'],
    ['header exact is case-sensitive', '/ratings/1', 'post', { 'end-user': 'Jason' }, 'POST'],
    ['header prefix', '/ratings/1', 'ua-prefix', { 'user-agent': 'curl/8.0' }, 'POST'],
    ['header suffix', '/ratings/1', 'suffix', { 'x-env': 'eu-canary' }, 'POST'],
    ['header contains, ignoring case', '/ratings/1', 'contains', { cookie: 'a=b; BETA=1' }, 'POST'],
    ['header regex', '/ratings/1', 'regex-header', { 'x-version': 'v3' }, 'POST'],
    ['header regex is a full match', '/ratings/1', 'post', { 'x-version': 'v33' }, 'POST'],
    ['header present', '/ratings/1', 'present', { 'x-debug': '' }, 'POST'],
    [':method inverted', '/ratings/1', 'not-post', {}, 'GET'],
    [':method', '/ratings/1', 'post', {}, 'POST'],
    [':path includes the query', '/x?debug=1', 'path-header'],
    ['query parameter', '/x?a=1&v=2', 'query'],
    ['query parameter mismatch', '/x?v=3', 'default'],
  ])('%s', (_name, path, want, headers = {}, method = 'GET') => {
    expect(t.select(req('reviews:9080', path, headers, method))?.route.name).toBe(want);
  });

  it(':authority header matcher', () => {
    expect(t.select(req('special:9080', '/z'))?.route.name).toBe('authority');
  });
});
