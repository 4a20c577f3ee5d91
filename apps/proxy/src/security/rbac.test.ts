import { describe, expect, it } from 'vitest';
import type { HttpRbacConfig, RbacPermission, RbacPrincipal } from '../config/model';
import { Issues } from '../config/translate/issues';
import { httpRbac, permission, principal } from '../config/translate/rbac';
import type { ConnectionInfo, TlsConnectionInfo } from '../net/connection';
import { type RbacContext, matchPermission, matchPrincipal, runRbacFilter } from './rbac';

const tls = (uris: string[], extra: Partial<TlsConnectionInfo> = {}): TlsConnectionInfo => ({
  peerCertificatePresented: uris.length > 0,
  peerUriSans: uris,
  peerDnsSans: [],
  localUriSans: ['spiffe://cluster.local/ns/default/sa/reviews'],
  sni: 'outbound_.9080_._.reviews.default.svc.cluster.local',
  ...extra,
});

const conn = (extra: Partial<ConnectionInfo> = {}): ConnectionInfo => ({ remoteAddress: '10.1.2.3', remotePort: 40000, localAddress: '10.0.0.5', localPort: 9080, ...extra });

function ctx(extra: Partial<RbacContext> = {}, headers: Record<string, string> = {}, path = '/api/v1/items?x=1', method = 'GET'): RbacContext {
  return { conn: conn(), remoteIp: '10.1.2.3', request: { method, authority: 'reviews.default:9080', path, scheme: 'http', headers }, metadata: {}, ...extra };
}

function perm(json: Record<string, unknown>): RbacPermission {
  const issues = new Issues();
  const p = permission(json, 'p', issues);
  expect(issues.errors).toEqual([]);
  return p as RbacPermission;
}

function prin(json: Record<string, unknown>): RbacPrincipal {
  const issues = new Issues();
  const p = principal(json, 'p', issues);
  expect(issues.errors).toEqual([]);
  return p as RbacPrincipal;
}

function filter(json: Record<string, unknown>): HttpRbacConfig {
  const issues = new Issues();
  const f = httpRbac(json, 'f', issues);
  expect(issues.errors).toEqual([]);
  return f;
}

const policy = (permissions: object[], principals: object[]): object => ({ permissions, principals });
const ANY = { any: true };

describe('RBAC permissions (Envoy matchers)', () => {
  const cases: Array<[string, Record<string, unknown>, RbacContext, boolean]> = [
    ['any', ANY, ctx(), true],
    ['header :method exact', { header: { name: ':method', stringMatch: { exact: 'GET' } } }, ctx(), true],
    ['header :method other', { header: { name: ':method', stringMatch: { exact: 'POST' } } }, ctx(), false],
    ['header :authority suffix ignore_case', { header: { name: ':authority', stringMatch: { suffix: 'DEFAULT:9080', ignoreCase: true } } }, ctx(), true],
    ['header present', { header: { name: 'x-user', presentMatch: true } }, ctx({}, { 'x-user': 'a' }), true],
    ['header absent', { header: { name: 'x-user', presentMatch: true } }, ctx(), false],
    ['header invert on absent', { header: { name: 'x-user', stringMatch: { exact: 'a' }, invertMatch: true } }, ctx(), true],
    ['header regex', { header: { name: 'x-user', stringMatch: { safeRegex: { regex: 'ad.*' } } } }, ctx({}, { 'x-user': 'admin' }), true],
    ['url_path prefix (no query)', { urlPath: { path: { prefix: '/api/' } } }, ctx(), true],
    ['url_path exact ignores the query', { urlPath: { path: { exact: '/api/v1/items' } } }, ctx(), true],
    ['url_path exact case', { urlPath: { path: { exact: '/API/v1/items' } } }, ctx(), false],
    ['url_path ignore_case', { urlPath: { path: { exact: '/API/v1/items', ignoreCase: true } } }, ctx(), true],
    ['destination_port', { destinationPort: 9080 }, ctx(), true],
    ['destination_port other', { destinationPort: 8080 }, ctx(), false],
    ['destination_port_range', { destinationPortRange: { start: 9000, end: 9081 } }, ctx(), true],
    ['destination_port_range end exclusive', { destinationPortRange: { start: 9000, end: 9080 } }, ctx(), false],
    ['destination_ip cidr', { destinationIp: { addressPrefix: '10.0.0.0', prefixLen: { value: 24 } } }, ctx(), true],
    ['destination_ip other', { destinationIp: { addressPrefix: '10.0.1.0', prefixLen: { value: 24 } } }, ctx(), false],
    ['requested_server_name', { requestedServerName: { suffix: '.svc.cluster.local' } }, ctx({ conn: conn({ tls: tls([]) }) }), true],
    ['requested_server_name without TLS', { requestedServerName: { suffix: '.svc.cluster.local' } }, ctx(), false],
    ['metadata string', { metadata: { filter: 'f', path: [{ key: 'k' }], value: { stringMatch: { exact: 'v' } } } }, ctx({ metadata: { f: { k: 'v' } } }), true],
    ['and_rules', { andRules: { rules: [{ destinationPort: 9080 }, { urlPath: { path: { prefix: '/api' } } }] } }, ctx(), true],
    ['and_rules one fails', { andRules: { rules: [{ destinationPort: 9080 }, { urlPath: { path: { prefix: '/x' } } }] } }, ctx(), false],
    ['or_rules', { orRules: { rules: [{ destinationPort: 1 }, { urlPath: { path: { prefix: '/api' } } }] } }, ctx(), true],
    ['not_rule', { notRule: { destinationPort: 9080 } }, ctx(), false],
    ['not_rule of or', { notRule: { orRules: { rules: [{ header: { name: ':method', stringMatch: { exact: 'DELETE' } } }] } } }, ctx(), true],
    ['url_path never matches without a request (TCP)', { urlPath: { path: { prefix: '/' } } }, ctx({ request: undefined }), false],
  ];
  it.each(cases)('%s', (_name, json, c, want) => expect(matchPermission(perm(json), c)).toBe(want));
});

describe('RBAC principals (Envoy matchers)', () => {
  const mtls = conn({ tls: tls(['spiffe://cluster.local/ns/default/sa/productpage']) });
  const cases: Array<[string, Record<string, unknown>, RbacContext, boolean]> = [
    ['any', ANY, ctx(), true],
    ['authenticated principal exact', { authenticated: { principalName: { exact: 'spiffe://cluster.local/ns/default/sa/productpage' } } }, ctx({ conn: mtls }), true],
    ['authenticated other principal', { authenticated: { principalName: { exact: 'spiffe://cluster.local/ns/default/sa/other' } } }, ctx({ conn: mtls }), false],
    ['authenticated on plaintext', { authenticated: { principalName: { safeRegex: { regex: '.*' } } } }, ctx(), false],
    ['authenticated namespace regex (Istio namespaces)', { authenticated: { principalName: { safeRegex: { regex: '.*/ns/default/.*' } } } }, ctx({ conn: mtls }), true],
    ['authenticated without matcher: any TLS peer', { authenticated: {} }, ctx({ conn: mtls }), true],
    ['authenticated DNS SAN', { authenticated: { principalName: { exact: 'client.example.com' } } }, ctx({ conn: conn({ tls: tls(['spiffe://x'], { peerDnsSans: ['client.example.com'] }) }) }), true],
    ['direct_remote_ip', { directRemoteIp: { addressPrefix: '10.1.0.0', prefixLen: { value: 16 } } }, ctx(), true],
    ['source_ip (deprecated) is the peer', { sourceIp: { addressPrefix: '10.1.2.3' } }, ctx({ remoteIp: '192.168.1.1' }), true],
    ['direct_remote_ip ignores x-forwarded-for', { directRemoteIp: { addressPrefix: '192.168.1.1', prefixLen: { value: 32 } } }, ctx({ remoteIp: '192.168.1.1' }), false],
    ['remote_ip uses the resolved client', { remoteIp: { addressPrefix: '192.168.1.1', prefixLen: { value: 32 } } }, ctx({ remoteIp: '192.168.1.1' }), true],
    ['remote_ip IPv6', { remoteIp: { addressPrefix: '2001:db8::', prefixLen: { value: 32 } } }, ctx({ remoteIp: '2001:db8::7' }), true],
    ['header', { header: { name: 'x-token', stringMatch: { prefix: 'abc' } } }, ctx({}, { 'x-token': 'abcdef' }), true],
    ['header repeated values joined by comma', { header: { name: 'x-g', stringMatch: { exact: 'a,b' } } }, ctx({ request: { method: 'GET', authority: 'a', path: '/', scheme: 'http', headers: { 'x-g': ['a', 'b'] } } }), true],
    ['url_path principal', { urlPath: { path: { prefix: '/api' } } }, ctx(), true],
    ['and_ids', { andIds: { ids: [ANY, { directRemoteIp: { addressPrefix: '10.1.2.3' } }] } }, ctx(), true],
    ['or_ids', { orIds: { ids: [{ directRemoteIp: { addressPrefix: '1.1.1.1' } }, ANY] } }, ctx(), true],
    ['not_id', { notId: { directRemoteIp: { addressPrefix: '10.1.2.3' } } }, ctx(), false],
  ];
  it.each(cases)('%s', (_name, json, c, want) => expect(matchPrincipal(prin(json), c)).toBe(want));
});

describe('metadata matchers (JWT claims as Istio generates them)', () => {
  const claims = { 'envoy.filters.http.jwt_authn': { payload: { iss: 'https://issuer', sub: 'alice', groups: ['dev', 'ops'], admin: true, level: 3, scope: ['read', 'write'] } } };
  const md = (path: string[], value: object, invert = false) => prin({ metadata: { filter: 'envoy.filters.http.jwt_authn', path: path.map((key) => ({ key })), value, invert } });
  const orList = (v: string) => ({ orMatch: { valueMatchers: [{ stringMatch: { exact: v } }, { listMatch: { oneOf: { stringMatch: { exact: v } } } }] } });
  it('matches request.auth.principal (iss and sub)', () => {
    const p = prin({ andIds: { ids: [{ metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'iss' }], value: { stringMatch: { exact: 'https://issuer' } } } }, { metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'sub' }], value: { stringMatch: { exact: 'alice' } } } }] } });
    expect(matchPrincipal(p, ctx({ metadata: claims }))).toBe(true);
    expect(matchPrincipal(p, ctx())).toBe(false);
  });
  it('matches a claim that is a string or a list (Istio or of string / list)', () => {
    expect(matchPrincipal(md(['payload', 'groups'], orList('ops')), ctx({ metadata: claims }))).toBe(true);
    expect(matchPrincipal(md(['payload', 'sub'], orList('alice')), ctx({ metadata: claims }))).toBe(true);
    expect(matchPrincipal(md(['payload', 'groups'], orList('qa')), ctx({ metadata: claims }))).toBe(false);
  });
  it('bool, double exact / range, present and null; invert', () => {
    const c = ctx({ metadata: claims });
    expect(matchPrincipal(md(['payload', 'admin'], { boolMatch: true }), c)).toBe(true);
    expect(matchPrincipal(md(['payload', 'level'], { doubleMatch: { exact: 3 } }), c)).toBe(true);
    expect(matchPrincipal(md(['payload', 'level'], { doubleMatch: { range: { start: 0, end: 3 } } }), c)).toBe(false);
    expect(matchPrincipal(md(['payload', 'missing'], { presentMatch: true }), c)).toBe(false);
    expect(matchPrincipal(md(['payload', 'missing'], { nullMatch: {} }), c)).toBe(true);
    expect(matchPrincipal(md(['payload', 'sub'], { stringMatch: { exact: 'alice' } }, true), c)).toBe(false);
    // A string matcher never matches a number.
    expect(matchPrincipal(md(['payload', 'level'], { stringMatch: { exact: '3' } }), c)).toBe(false);
  });
});

describe('RBAC filter semantics', () => {
  const stats = (): { counts: Record<string, number>; inc(s: string): void } => {
    const counts: Record<string, number> = {};
    return { counts, inc: (s) => void (counts[s] = (counts[s] ?? 0) + 1) };
  };
  const getOnly = policy([{ header: { name: ':method', stringMatch: { exact: 'GET' } } }], [ANY]);

  it("ALLOW: allowed iff a policy matches; the matched policy is reported", () => {
    const f = filter({ rules: { action: 'ALLOW', policies: { 'get-only': getOnly } } });
    const s = stats();
    expect(runRbacFilter(f, ctx(), s, 'ns')).toEqual({ allowed: true, policyId: 'get-only' });
    expect(runRbacFilter(f, ctx({}, {}, '/', 'POST'), s, 'ns')).toEqual({ allowed: false, policyId: '' });
    expect(s.counts).toEqual({ allowed: 1, denied: 1 });
  });

  it("ALLOW with no policies (Istio's `spec: {}` allow-nothing) denies everything", () => {
    // After a proto round trip an empty map and the ALLOW enum default are absent: `rules: {}`.
    const f = filter({ rules: {} });
    expect(runRbacFilter(f, ctx(), stats(), 'ns').allowed).toBe(false);
  });

  it('no rules: nothing is enforced', () => {
    expect(runRbacFilter(filter({}), ctx(), stats(), 'ns').allowed).toBe(true);
  });

  it('DENY: denied iff a policy matches, the first by name', () => {
    const f = filter({ rules: { action: 'DENY', policies: { 'b-any': policy([ANY], [ANY]), 'a-get': getOnly } } });
    expect(runRbacFilter(f, ctx(), stats(), 'ns')).toEqual({ allowed: false, policyId: 'a-get' });
  });

  it('LOG (AUDIT) never blocks and sets the access log hint', () => {
    const f = filter({ rules: { action: 'LOG', policies: { audit: policy([ANY], [ANY]) } } });
    const c = ctx();
    const s = stats();
    expect(runRbacFilter(f, c, s, 'ns').allowed).toBe(true);
    expect(c.metadata['envoy.common']).toEqual({ access_log_hint: true });
    expect(s.counts).toEqual({ allowed: 1 });
  });

  it('shadow rules are counted and recorded in metadata, never enforced', () => {
    const f = filter({ shadowRules: { action: 'DENY', policies: { 'istio-ext-authz-x': getOnly } }, shadowRulesStatPrefix: 'istio_ext_authz_' });
    const c = ctx();
    const s = stats();
    expect(runRbacFilter(f, c, s, 'envoy.filters.http.rbac').allowed).toBe(true);
    expect(s.counts).toEqual({ istio_ext_authz_shadow_denied: 1 });
    expect(c.metadata['envoy.filters.http.rbac']).toEqual({ istio_ext_authz_shadow_effective_policy_id: 'istio-ext-authz-x', istio_ext_authz_shadow_engine_result: 'denied' });
  });

  it('dry-run ALLOW in shadow with enforced rules alongside', () => {
    const f = filter({ rules: { policies: { any: policy([ANY], [ANY]) } }, shadowRules: { policies: {} }, shadowRulesStatPrefix: 'istio_dry_run_allow_' });
    const s = stats();
    expect(runRbacFilter(f, ctx(), s, 'ns').allowed).toBe(true);
    expect(s.counts).toEqual({ istio_dry_run_allow_shadow_denied: 1, allowed: 1 });
  });
});
