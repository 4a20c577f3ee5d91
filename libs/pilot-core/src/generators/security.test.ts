import type { ProxyNode } from '@mizzen/mesh-model';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG, type MeshConfig } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, bookinfoSnapshot, configsFromYaml, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { expectGolden } from '../testing/golden';
import {
  customAuthzFilters,
  authorizationPoliciesFor,
  grpcServerRbacFilters,
  httpRbacFilters,
  inboundSecurityHttpFilters,
  jwksSources,
  jwtAuthnFilter,
  peerAuthnModeFor,
  REJECT_ALL_JWKS,
  type HttpRbac,
} from './security';

const proxy = (app: string, sa: string, namespace = 'default', extra: Partial<ProxyNode> = {}): ProxyNode => ({
  ...PRODUCTPAGE_PROXY,
  id: `sidecar~127.1.0.9~${app}-v1.${namespace}~${namespace}.svc.cluster.local`,
  namespace,
  workloadName: `${app}-v1`,
  labels: { app, version: 'v1' },
  serviceAccount: sa,
  service: app,
  ...extra,
});
const PRODUCTPAGE = PRODUCTPAGE_PROXY;
const DETAILS = proxy('details', 'bookinfo-details');
const REVIEWS = proxy('reviews', 'bookinfo-reviews');
const RATINGS = proxy('ratings', 'bookinfo-ratings');

const doc = (kind: string, name: string, spec: string, ns = 'default', meta = ''): string =>
  `apiVersion: security.istio.io/v1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${ns}${meta}}\nspec:${spec}\n---\n`;
const viewer = (name: string, app: string, principal?: string): string =>
  doc(
    'AuthorizationPolicy',
    name,
    `\n  selector: {matchLabels: {app: ${app}}}\n  action: ALLOW\n  rules:\n  - ${principal ? `from: [{source: {principals: ["${principal}"]}}]\n    ` : ''}to: [{operation: {methods: ["GET"]}}]`,
  );

// https://istio.io/latest/docs/tasks/security/authorization/authz-http/
const ALLOW_NOTHING = doc('AuthorizationPolicy', 'allow-nothing', ' {}');
const AUTHZ_TASK =
  ALLOW_NOTHING +
  viewer('productpage-viewer', 'productpage') +
  viewer('details-viewer', 'details', 'cluster.local/ns/default/sa/bookinfo-productpage') +
  viewer('reviews-viewer', 'reviews', 'cluster.local/ns/default/sa/bookinfo-productpage') +
  viewer('ratings-viewer', 'ratings', 'cluster.local/ns/default/sa/bookinfo-reviews');

const rbacOf = (f: { typedConfig: unknown }): HttpRbac => f.typedConfig as HttpRbac;

describe('AuthorizationPolicy -> Envoy RBAC (Istio authorization task)', () => {
  it('allow-nothing alone: one ALLOW filter with no policies, which denies every request', () => {
    const filters = httpRbacFilters(bookinfoSnapshot(ALLOW_NOTHING), PRODUCTPAGE);
    expect(filters).toEqual([
      { name: 'envoy.filters.http.rbac', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC', rules: { action: 'ALLOW', policies: {} }, shadowRulesStatPrefix: 'istio_dry_run_allow_' } },
    ]);
  });

  it('each viewer policy allows GET, from the right principal, on its own workload only', () => {
    const snap = bookinfoSnapshot(AUTHZ_TASK);
    const out = Object.fromEntries([PRODUCTPAGE, DETAILS, REVIEWS, RATINGS].map((p) => [p.workloadName, httpRbacFilters(snap, p)]));
    expectGolden(__dirname, 'security-authz-task', out);
    const details = rbacOf(out['details-v1'][0]).rules?.policies ?? {};
    expect(Object.keys(details)).toEqual(['ns[default]-policy[details-viewer]-rule[0]']);
    expect(details['ns[default]-policy[details-viewer]-rule[0]']).toEqual({
      permissions: [{ andRules: { rules: [{ orRules: { rules: [{ header: { name: ':method', stringMatch: { exact: 'GET' } } }] } }] } }],
      principals: [{ andIds: { ids: [{ orIds: { ids: [{ authenticated: { principalName: { exact: 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage' } } }] } }] } }],
    });
  });

  it('a policy in another namespace does not apply; one in the root namespace applies mesh-wide', () => {
    const other = doc('AuthorizationPolicy', 'deny-all-foo', '\n  action: DENY\n  rules: [{}]', 'foo');
    const mesh = doc('AuthorizationPolicy', 'audit-all', '\n  action: AUDIT\n  rules: [{}]', 'istio-system');
    const filters = httpRbacFilters(bookinfoSnapshot(other + mesh), PRODUCTPAGE);
    expect(filters.map((f) => rbacOf(f).rules?.action)).toEqual(['LOG']);
    expect(rbacOf(filters[0]).rules?.policies).toEqual({
      'ns[istio-system]-policy[audit-all]-rule[0]': { permissions: [{ andRules: { rules: [{ any: true }] } }], principals: [{ andIds: { ids: [{ any: true }] } }] },
    });
  });

  it('orders AUDIT, DENY, ALLOW and generates every source, operation and condition field', () => {
    const full = doc(
      'AuthorizationPolicy',
      'full',
      `
  action: DENY
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/a/sa/b", "*-suffix", "prefix-*", "*"]
        notRequestPrincipals: ["*"]
        requestPrincipals: ["https://issuer.example.com/user-1"]
        namespaces: ["foo", "bar-*"]
        ipBlocks: ["10.0.0.0/8"]
        notRemoteIpBlocks: ["192.168.1.1"]
    to:
    - operation:
        hosts: ["example.com", "*.example.com"]
        notMethods: ["DELETE"]
        paths: ["/api/*", "*/info", "/exact"]
        ports: ["9080"]
    when:
    - {key: "request.headers[x-token]", values: ["abc"]}
    - {key: "request.auth.claims[groups]", values: ["admin"]}
    - {key: "source.namespace", notValues: ["kube-system"]}
    - {key: "destination.port", values: ["9080"]}
    - {key: "connection.sni", values: ["*.svc.cluster.local"]}
    - {key: "source.ip", values: ["10.1.2.3"]}`,
    );
    const filters = httpRbacFilters(bookinfoSnapshot(full + viewer('productpage-viewer', 'productpage') + doc('AuthorizationPolicy', 'audit', '\n  action: AUDIT\n  rules: [{to: [{operation: {paths: ["/admin"]}}]}]')), PRODUCTPAGE);
    expect(filters.map((f) => rbacOf(f).rules?.action)).toEqual(['LOG', 'DENY', 'ALLOW']);
    expectGolden(__dirname, 'security-all-fields', filters);
  });

  it('drops an ALLOW rule it cannot generate (narrower allow) but only the value in a DENY rule (wider deny)', () => {
    const rule = '\n  rules:\n  - to: [{operation: {paths: ["/a/{*}/b", "/ok"]}}]';
    const snap = bookinfoSnapshot(doc('AuthorizationPolicy', 'allow-tpl', rule) + doc('AuthorizationPolicy', 'deny-tpl', `\n  action: DENY${rule}`));
    const [deny, allow] = httpRbacFilters(snap, PRODUCTPAGE).map(rbacOf);
    expect(allow.rules?.policies).toEqual({});
    expect(JSON.stringify(deny.rules?.policies)).toContain('/ok');
    expect(JSON.stringify(deny.rules?.policies)).not.toContain('{*}');
  });

  it('puts istio.io/dry-run policies in shadow rules only', () => {
    const dry = doc('AuthorizationPolicy', 'dry', '\n  action: DENY\n  rules: [{}]', 'default', ', annotations: {istio.io/dry-run: "true"}');
    const [f] = httpRbacFilters(bookinfoSnapshot(dry), PRODUCTPAGE).map(rbacOf);
    expect(f.rules).toBeUndefined();
    expect(Object.keys(f.shadowRules?.policies ?? {})).toEqual(['ns[default]-policy[dry]-rule[0]']);
    expect(f.shadowRulesStatPrefix).toBe('istio_dry_run_deny_');
  });
});

describe('CUSTOM authorization', () => {
  const custom = doc('AuthorizationPolicy', 'ext', '\n  action: CUSTOM\n  provider: {name: my-authz}\n  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]');
  const provider = { name: 'my-authz', protocol: 'http' as const, service: 'ext-authz.foo.svc.cluster.local', port: 8000 };

  it('is a shadow-only RBAC filter then ext_authz enabled by its metadata', () => {
    const snap = bookinfoSnapshot(custom);
    const filters = customAuthzFilters(authorizationPoliciesFor(snap, PRODUCTPAGE).CUSTOM, { extensionProviders: [provider] });
    expect(filters.map((f) => f.name)).toEqual(['envoy.filters.http.rbac', 'envoy.filters.http.ext_authz']);
    expectGolden(__dirname, 'security-custom', filters);
  });

  it('denies everything when the provider is unknown, as Istio does', () => {
    const [f] = customAuthzFilters(authorizationPoliciesFor(bookinfoSnapshot(custom), PRODUCTPAGE).CUSTOM);
    expect(rbacOf(f).rules?.policies).toHaveProperty(['default-deny-due-to-bad-CUSTOM-action']);
  });
});

// https://istio.io/latest/docs/tasks/security/authentication/authn-policy/#end-user-authentication
const JWT = doc(
  'RequestAuthentication',
  'jwt-example',
  `
  selector: {matchLabels: {app: productpage}}
  jwtRules:
  - issuer: "testing@secure.istio.io"
    jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.27/security/tools/jwt/samples/jwks.json"
    audiences: [bookinfo]
    fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
    fromParams: [token]
    forwardOriginalToken: true
    outputPayloadToHeader: x-jwt-payload
    outputClaimToHeaders: [{header: x-jwt-sub, claim: sub}]`,
);

const JWKS_URI = 'https://raw.githubusercontent.com/istio/istio/release-1.27/security/tools/jwt/samples/jwks.json';
const RESOLVED = '{"keys":[{"kty":"RSA","e":"AQAB","n":"resolved","kid":"r1"}]}';
/** The bookinfo snapshot with key sets Pilot resolved (source key -> JWKS). */
const withJwks = (yaml: string, jwks: Record<string, string>, mesh: Partial<MeshConfig> = {}) =>
  MeshSnapshot.build({ configs: configsFromYaml(yaml), services: BOOKINFO_SERVICES, workloads: BOOKINFO_WORKLOADS, mesh: { ...DEFAULT_MESH_CONFIG, ...mesh }, jwks: new Map(Object.entries(jwks)) }, 1);
const localJwks = (f: ReturnType<typeof jwtAuthnFilter>, provider = 'origins-0') => f?.typedConfig.providers[provider].localJwks?.inlineString;

describe('RequestAuthentication -> jwt_authn', () => {
  it('one provider: the token, if present, must be valid (provider OR allow_missing); the jwksUri key set Pilot resolved is inlined', () => {
    const f = jwtAuthnFilter(withJwks(JWT, { [JWKS_URI]: RESOLVED }), PRODUCTPAGE);
    expectGolden(__dirname, 'security-jwt-one', f);
    expect(f?.typedConfig.rules[0].requires).toEqual({ requiresAny: { requirements: [{ providerName: 'origins-0' }, { allowMissing: {} }] } });
    expect(localJwks(f)).toBe(RESOLVED);
    expect(f?.typedConfig.providers['origins-0'].remoteJwks).toBeUndefined();
  });

  it('a jwksUri Pilot has not resolved (never fetched, or every fetch failed) gets a JWKS that verifies no token', () => {
    expect(localJwks(jwtAuthnFilter(bookinfoSnapshot(JWT), PRODUCTPAGE))).toBe(REJECT_ALL_JWKS);
  });

  it('PILOT_JWT_ENABLE_REMOTE_JWKS=true (envoy mode): the proxy fetches the jwksUri itself (remote_jwks)', () => {
    const f = jwtAuthnFilter(withJwks(JWT, { [JWKS_URI]: RESOLVED }, { jwksFetchMode: 'envoy' }), PRODUCTPAGE);
    expect(f?.typedConfig.providers['origins-0'].remoteJwks).toEqual({
      httpUri: { uri: JWKS_URI, cluster: 'outbound|443||raw.githubusercontent.com', timeout: { seconds: 5 } },
      cacheDuration: { seconds: 300 },
    });
    expect(f?.typedConfig.providers['origins-0'].localJwks).toBeUndefined();
  });

  it('an issuer-only rule gets the key set Pilot resolved through OpenID discovery, in both modes', () => {
    const ra = doc('RequestAuthentication', 'oidc', '\n  jwtRules:\n  - issuer: "https://accounts.example.com/"', 'istio-system');
    const discovery = 'https://accounts.example.com/.well-known/openid-configuration';
    expect(jwksSources(bookinfoSnapshot(ra))).toEqual([{ key: discovery, kind: 'discovery', url: discovery, timeoutMs: 5000 }]);
    for (const jwksFetchMode of ['istiod', 'envoy'] as const) expect(localJwks(jwtAuthnFilter(withJwks(ra, { [discovery]: RESOLVED }, { jwksFetchMode }), PRODUCTPAGE))).toBe(RESOLVED);
  });

  it('several providers, sorted by issuer, with inline jwks; no filter for other workloads', () => {
    const jwks = '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc","kid":"k1"}]}';
    const two = doc('RequestAuthentication', 'mesh', `\n  jwtRules:\n  - issuer: b-issuer\n    jwks: '${jwks}'\n  - issuer: a-issuer`, 'istio-system');
    const f = jwtAuthnFilter(bookinfoSnapshot(JWT + two), PRODUCTPAGE);
    expectGolden(__dirname, 'security-jwt-many', f);
    expect(Object.values(f?.typedConfig.providers ?? {}).map((p) => p.issuer)).toEqual(['a-issuer', 'b-issuer', 'testing@secure.istio.io']);
    // a-issuer has no keys and no discovery document (not a URL); b-issuer's inline jwks wins.
    expect([localJwks(f, 'origins-0'), localJwks(f, 'origins-1')]).toEqual([REJECT_ALL_JWKS, jwks]);
    expect(jwtAuthnFilter(bookinfoSnapshot(JWT), DETAILS)).toBeUndefined();
  });

  it('jwksSources: what Pilot must resolve, one per key (longest timeout), none for inline jwks, envoy-mode jwksUri or targetRef policies', () => {
    const rules = (ns: string, name: string, body: string) => doc('RequestAuthentication', name, body, ns);
    const yaml =
      JWT +
      rules('default', 'again', `\n  jwtRules:\n  - issuer: other\n    jwksUri: "${JWKS_URI}"\n    timeout: 12s\n  - issuer: inline\n    jwks: '{"keys":[{"kty":"RSA"}]}'`) +
      rules('default', 'gw', `\n  targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: gw}\n  jwtRules:\n  - issuer: x\n    jwksUri: "https://unused.example.com/jwks"`);
    expect(jwksSources(bookinfoSnapshot(yaml))).toEqual([{ key: JWKS_URI, kind: 'jwksUri', url: JWKS_URI, timeoutMs: 12_000 }]);
    expect(jwksSources(bookinfoSnapshot(yaml, { ...DEFAULT_MESH_CONFIG, jwksFetchMode: 'envoy' }))).toEqual([]);
  });

  it('puts CUSTOM before jwt_authn before AUDIT/DENY/ALLOW', () => {
    const snap = bookinfoSnapshot(JWT + ALLOW_NOTHING + doc('AuthorizationPolicy', 'require-jwt', '\n  action: DENY\n  rules: [{from: [{source: {notRequestPrincipals: ["*"]}}]}]'));
    expect(inboundSecurityHttpFilters(snap, PRODUCTPAGE).map((f) => f.name)).toEqual(['envoy.filters.http.jwt_authn', 'envoy.filters.http.rbac', 'envoy.filters.http.rbac']);
  });
});

describe('PeerAuthentication mode per port', () => {
  const pa = (name: string, ns: string, spec: string, ts: string): string => doc('PeerAuthentication', name, spec, ns, `, creationTimestamp: "${ts}"`);
  const MESH = pa('default', 'istio-system', '\n  mtls: {mode: STRICT}', '2024-01-01T00:00:00Z');
  const NS = pa('default', 'default', '\n  mtls: {mode: PERMISSIVE}', '2024-01-02T00:00:00Z');
  const WL = pa('pp', 'default', '\n  selector: {matchLabels: {app: productpage}}\n  mtls: {mode: UNSET}\n  portLevelMtls:\n    9080: {mode: DISABLE}\n    9443: {mode: UNSET}', '2024-01-03T00:00:00Z');

  it('defaults to PERMISSIVE', () => expect(peerAuthnModeFor(bookinfoSnapshot(''), PRODUCTPAGE, 9080)).toBe('PERMISSIVE'));
  it('mesh-wide STRICT in the root namespace', () => expect(peerAuthnModeFor(bookinfoSnapshot(MESH), PRODUCTPAGE, 9080)).toBe('STRICT'));
  it('namespace overrides mesh', () => expect(peerAuthnModeFor(bookinfoSnapshot(MESH + NS), PRODUCTPAGE, 9080)).toBe('PERMISSIVE'));
  it('workload UNSET inherits; portLevelMtls overrides its port; UNSET port inherits', () => {
    const snap = bookinfoSnapshot(MESH + WL);
    expect(peerAuthnModeFor(snap, PRODUCTPAGE, 9080)).toBe('DISABLE');
    expect(peerAuthnModeFor(snap, PRODUCTPAGE, 9443)).toBe('STRICT');
    expect(peerAuthnModeFor(snap, PRODUCTPAGE, 15000)).toBe('STRICT');
    expect(peerAuthnModeFor(snap, DETAILS, 9080)).toBe('STRICT');
  });
  it('the oldest policy of a scope wins; a workload selector in the root namespace is ignored', () => {
    const newer = pa('z-newer', 'istio-system', '\n  mtls: {mode: DISABLE}', '2024-02-01T00:00:00Z');
    const rootSel = pa('root-sel', 'istio-system', '\n  selector: {matchLabels: {app: productpage}}\n  mtls: {mode: DISABLE}', '2023-01-01T00:00:00Z');
    expect(peerAuthnModeFor(bookinfoSnapshot(MESH + newer + rootSel), PRODUCTPAGE, 9080)).toBe('STRICT');
  });
});

describe('proxyless gRPC server RBAC (gRFC A41)', () => {
  it('DENY then ALLOW, rules only, no AUDIT/CUSTOM/dry-run', () => {
    const grpc = proxy('ratings', 'bookinfo-ratings', 'default', { type: 'proxyless' });
    const extra = doc('AuthorizationPolicy', 'deny-delete', '\n  action: DENY\n  rules: [{to: [{operation: {methods: ["DELETE"]}}]}]') + doc('AuthorizationPolicy', 'audit', '\n  action: AUDIT\n  rules: [{}]');
    const filters = grpcServerRbacFilters(bookinfoSnapshot(AUTHZ_TASK + extra), grpc);
    expect(filters.map((f) => rbacOf(f).rules?.action)).toEqual(['DENY', 'ALLOW']);
    expect(filters.every((f) => rbacOf(f).shadowRules === undefined)).toBe(true);
    expectGolden(__dirname, 'security-grpc-ratings', filters);
  });
});
