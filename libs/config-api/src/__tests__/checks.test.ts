import { describe, expect, it } from 'vitest';
import { checkFQDN, checkWildcardDomain } from '../common/checks/dns';
import { checkHeaderValue, checkMatchHeaderName } from '../common/checks/headers';
import { checkIPSubnet, isIPAddress } from '../common/checks/ip';
import { checkLabelKey, checkLabelValue } from '../common/checks/labels';
import { checkNamespacedHost } from '../common/checks/namespaced-host';
import { checkRE2 } from '../common/checks/re2';

describe('RE2 approximation', () => {
  it.each(['^/api/v[0-9]+/.*$', '(?i)^aaa$', '(?P<ver>v[0-9])', '\\Aexact\\z', '\\Q.*literal\\E', '\\pL+', '(?s:a.b)', 'a{2,1000}', '[]a]'])('accepts %j', (re) => {
    expect(checkRE2(re)).toBeUndefined();
  });
  it.each([
    ['(?=a)', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /named backreferences/],
    ['a{1001}', /at most 1000/],
    ['(unclosed', /invalid regex/],
    ['*a', /invalid regex/],
    ['x'.repeat(1025), /too large/],
  ])('rejects %j', (re, msg) => {
    expect(checkRE2(re)).toMatch(msg);
  });
});

describe('DNS names', () => {
  it('validates FQDNs and wildcard domains as Istio does', () => {
    expect(checkFQDN('reviews')).toBeUndefined();
    expect(checkFQDN('reviews.default.svc.cluster.local')).toBeUndefined();
    expect(checkFQDN('istio.io.')).toBeUndefined();
    expect(checkFQDN('1.2.3.4')).toMatch(/all-numeric/);
    expect(checkFQDN('bad_label.com')).toMatch(/label "bad_label" invalid/);
    expect(checkWildcardDomain('*.example.com')).toBeUndefined();
    expect(checkWildcardDomain('*')).toBeUndefined();
    expect(checkWildcardDomain('a.*.com')).toMatch(/invalid/);
    expect(checkWildcardDomain('')).toMatch(/empty/);
  });

  it('checks namespace/host entries for gateways and sidecars', () => {
    expect(checkNamespacedHost('*/*', false)).toEqual([]);
    expect(checkNamespacedHost('~/*', false)).toEqual([]);
    expect(checkNamespacedHost('./*.example.com', true)).toEqual([]);
    expect(checkNamespacedHost('1.2.3.4', true)).toEqual([]);
    expect(checkNamespacedHost('ns/*foo.com', false)).toContain('partial wildcard "*foo.com" not allowed');
    expect(checkNamespacedHost('Bad_NS/a.com', true)).toEqual(['invalid namespace value "Bad_NS" in gateway']);
  });
});

describe('IP addresses', () => {
  it.each(['10.0.0.1', '::1', '::', '2001:db8::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8'])('%s is an IP', (ip) => expect(isIPAddress(ip)).toBe(true));
  it.each(['10.0.0.256', '01.2.3.4', '1.2.3', '1:2:3:4:5:6:7:8:9', '1::2::3', 'example.com', ''])('%s is not an IP', (ip) => expect(isIPAddress(ip)).toBe(false));
  it('checks subnets', () => {
    expect(checkIPSubnet('10.0.0.0/8')).toBeUndefined();
    expect(checkIPSubnet('2001:db8::/32')).toBeUndefined();
    expect(checkIPSubnet('10.0.0.0/33')).toMatch(/not a valid CIDR/);
    expect(checkIPSubnet('nope')).toMatch(/not a valid IP/);
  });
});

describe('headers and labels', () => {
  it('header names in matches', () => {
    expect(checkMatchHeaderName('end-user')).toBeUndefined();
    expect(checkMatchHeaderName(':authority')).toBeUndefined();
    expect(checkMatchHeaderName('@request.auth.claims.groups')).toBeUndefined();
    expect(checkMatchHeaderName('a b')).toMatch(/not a valid header name/);
  });
  it('header values follow Envoy variable syntax', () => {
    expect(checkHeaderValue('plain')).toBeUndefined();
    expect(checkHeaderValue('100%%')).toBeUndefined();
    expect(checkHeaderValue('%HOSTNAME%')).toBeUndefined();
    expect(checkHeaderValue('%REQ(x-a)%-suffix')).toBeUndefined();
    expect(checkHeaderValue('%UPSTREAM_METADATA(["a", "b%"])%')).toBeUndefined();
    expect(checkHeaderValue('abc%123')).toMatch(/un-terminated/);
    expect(checkHeaderValue('bad\nvalue')).toMatch(/control characters/);
  });
  it('label keys and values', () => {
    expect(checkLabelKey('app.kubernetes.io/name')).toBeUndefined();
    expect(checkLabelKey('version')).toBeUndefined();
    expect(checkLabelKey('-bad')).toMatch(/invalid label key/);
    expect(checkLabelKey('a/b/c')).toMatch(/invalid label key/);
    expect(checkLabelValue('')).toBeUndefined();
    expect(checkLabelValue('v1.2_x')).toBeUndefined();
    expect(checkLabelValue('bad value')).toMatch(/invalid label value/);
  });
});
