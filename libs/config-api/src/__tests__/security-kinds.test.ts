import { describe, expect, it } from 'vitest';
import { parseDocuments, unsupportedFieldWarnings, validateResource, type AnyConfig } from '../index';

/**
 * security.istio.io kinds: YAML from Istio's docs must validate under v1 and v1beta1; invalid
 * resources fail at the exact field path with Istio's webhook wording.
 */
const VERSIONS = ['v1', 'v1beta1'] as const;

// https://istio.io/latest/docs/tasks/security/authorization/authz-http/ (Bookinfo)
const AUTHZ_TASK = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: default}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: productpage-viewer, namespace: default}
spec:
  selector:
    matchLabels: {app: productpage}
  action: ALLOW
  rules:
  - to:
    - operation:
        methods: ["GET"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: details-viewer, namespace: default}
spec:
  selector:
    matchLabels: {app: details}
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]
    to:
    - operation:
        methods: ["GET"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-viewer, namespace: default}
spec:
  selector:
    matchLabels: {app: reviews}
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]
    to:
    - operation:
        methods: ["GET"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ratings-viewer, namespace: default}
spec:
  selector:
    matchLabels: {app: ratings}
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]
    to:
    - operation:
        methods: ["GET"]
`;

// https://istio.io/latest/docs/tasks/security/authentication/authn-policy/ and the JWT reference
const AUTHN = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: STRICT}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: foo}
spec:
  mtls: {mode: PERMISSIVE}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: finance, namespace: foo}
spec:
  selector:
    matchLabels: {app: finance}
  mtls: {mode: STRICT}
  portLevelMtls:
    8080: {mode: DISABLE}
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt-example, namespace: istio-system}
spec:
  selector:
    matchLabels: {istio: ingressgateway}
  jwtRules:
  - issuer: "testing@secure.istio.io"
    jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.27/security/tools/jwt/samples/jwks.json"
    audiences: [bookstore_android.apps.example.com]
    fromHeaders: [{name: x-jwt-assertion, prefix: "Bearer "}]
    fromParams: [my_token]
    forwardOriginalToken: true
    outputPayloadToHeader: x-jwt-payload
    outputClaimToHeaders: [{header: x-jwt-sub, claim: sub}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-jwt, namespace: istio-system}
spec:
  selector:
    matchLabels: {istio: ingressgateway}
  action: DENY
  rules:
  - from:
    - source:
        notRequestPrincipals: ["*"]
    when:
    - key: request.auth.claims[groups]
      values: ["group1"]
    - key: request.headers[x-token]
      notValues: ["admin"]
    - key: source.ip
      values: ["10.1.0.0/16"]
    - key: destination.port
      values: ["8080"]
    - key: connection.sni
      values: ["*.example.com"]
`;

function validateAll(text: string, version: string): AnyConfig[] {
  const docs = parseDocuments(text.replaceAll('security.istio.io/v1\n', `security.istio.io/${version}\n`));
  if (!docs.ok) throw new Error(JSON.stringify(docs.errors));
  return docs.value.map((doc) => {
    const r = validateResource(doc, { defaultNamespace: 'default' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  });
}

describe('security.istio.io: Istio docs YAML validates', () => {
  for (const v of VERSIONS) {
    it(`authorization task policies (${v})`, () => {
      const out = validateAll(AUTHZ_TASK, v);
      expect(out.map((c) => `${c.kind}/${c.metadata.name}`)).toEqual([
        'AuthorizationPolicy/allow-nothing',
        'AuthorizationPolicy/productpage-viewer',
        'AuthorizationPolicy/details-viewer',
        'AuthorizationPolicy/reviews-viewer',
        'AuthorizationPolicy/ratings-viewer',
      ]);
      expect(out[0].spec).toEqual({});
    });

    it(`PeerAuthentication, RequestAuthentication and a JWT DENY policy (${v})`, () => {
      const out = validateAll(AUTHN, v);
      expect(out.map((c) => c.kind)).toEqual(['PeerAuthentication', 'PeerAuthentication', 'PeerAuthentication', 'RequestAuthentication', 'AuthorizationPolicy']);
      expect(out[2].spec).toMatchObject({ portLevelMtls: { 8080: { mode: 'DISABLE' } } });
    });
  }

  it('does not warn about enforced security resources (allow-nothing included); Gateway API targetRefs are warned', () => {
    const [allowNothing] = validateAll(AUTHZ_TASK, 'v1');
    expect(unsupportedFieldWarnings(allowNothing)).toEqual([]);
    for (const cfg of validateAll(AUTHN, 'v1')) expect(unsupportedFieldWarnings(cfg)).toEqual([]);
    const attached = validateAll(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: gw, namespace: default}
spec:
  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]
  action: DENY
  rules: [{to: [{operation: {paths: [/admin]}}]}]
`, 'v1');
    expect(unsupportedFieldWarnings(attached[0])).toEqual([{ path: 'spec.targetRefs', message: expect.stringMatching(/not generated by Pilot/) }]);
  });
});

const res = (kind: string, spec: unknown, apiVersion = 'security.istio.io/v1'): Record<string, unknown> => ({ apiVersion, kind, metadata: { name: 'p', namespace: 'foo' }, spec });
const ap = (spec: unknown): Record<string, unknown> => res('AuthorizationPolicy', spec);
const ra = (rule: Record<string, unknown>): Record<string, unknown> => res('RequestAuthentication', { jwtRules: [{ issuer: 'iss', ...rule }] });
const pa = (spec: unknown): Record<string, unknown> => res('PeerAuthentication', spec);
const sel = { matchLabels: { app: 'a' } };

const CASES: { name: string; input: unknown; path: string; message: RegExp }[] = [
  // API group per kind
  { name: 'security kind under networking group', input: res('AuthorizationPolicy', {}, 'networking.istio.io/v1'), path: 'apiVersion', message: /unsupported apiVersion "networking.istio.io\/v1" for kind AuthorizationPolicy \(supported: security.istio.io\/v1, security.istio.io\/v1beta1\)/ },
  { name: 'networking kind under security group', input: { apiVersion: 'security.istio.io/v1', kind: 'Sidecar', metadata: { name: 's' }, spec: { egress: [{ hosts: ['./*'] }] } }, path: 'apiVersion', message: /for kind Sidecar \(supported: networking.istio.io\/v1,/ },
  { name: 'security v1alpha3 does not exist', input: res('PeerAuthentication', {}, 'security.istio.io/v1alpha3'), path: 'apiVersion', message: /unsupported apiVersion/ },
  // PeerAuthentication
  { name: 'unknown mTLS mode', input: pa({ mtls: { mode: 'MUTUAL' } }), path: 'spec.mtls.mode', message: /must be one of/ },
  { name: 'portLevelMtls without selector', input: pa({ portLevelMtls: { 8080: { mode: 'DISABLE' } } }), path: 'spec.portLevelMtls', message: /portLevelMtls requires selector/ },
  { name: 'port 0', input: pa({ selector: sel, portLevelMtls: { 0: { mode: 'DISABLE' } } }), path: 'spec.portLevelMtls["0"]', message: /port must be between 1-65535/ },
  { name: 'port not a number', input: pa({ selector: sel, portLevelMtls: { http: { mode: 'DISABLE' } } }), path: 'spec.portLevelMtls.http', message: /port must be between 1-65535/ },
  { name: 'empty portLevelMtls', input: pa({ selector: sel, portLevelMtls: {} }), path: 'spec.portLevelMtls', message: /must have at least one element/ },
  { name: 'wildcard selector', input: pa({ selector: { matchLabels: { app: '*' } } }), path: 'spec.selector.matchLabels.app', message: /wildcard is not supported/ },
  // RequestAuthentication
  { name: 'issuer missing', input: res('RequestAuthentication', { jwtRules: [{ jwksUri: 'https://a/jwks' }] }), path: 'spec.jwtRules[0].issuer', message: /^required$/ },
  { name: 'issuer empty', input: ra({ issuer: '' }), path: 'spec.jwtRules[0].issuer', message: /issuer must be set/ },
  { name: 'empty audience', input: ra({ audiences: ['a', ''] }), path: 'spec.jwtRules[0].audiences[1]', message: /audience must be non-empty string/ },
  { name: 'jwksUri scheme', input: ra({ jwksUri: 'ftp://example.com/jwks' }), path: 'spec.jwtRules[0].jwksUri', message: /URI scheme "ftp" is not supported/ },
  { name: 'jwks not JSON', input: ra({ jwks: '{keys' }), path: 'spec.jwtRules[0].jwks', message: /jwks parse error/ },
  { name: 'empty header location', input: ra({ fromHeaders: [{ name: '' }] }), path: 'spec.jwtRules[0].fromHeaders[0].name', message: /location header name must be non-empty/ },
  { name: 'empty param location', input: ra({ fromParams: [''] }), path: 'spec.jwtRules[0].fromParams[0]', message: /location query must be non-empty/ },
  { name: 'bad claim header', input: ra({ outputClaimToHeaders: [{ header: 'x y', claim: 'sub' }] }), path: 'spec.jwtRules[0].outputClaimToHeaders[0].header', message: /not a valid header name/ },
  { name: 'selector and targetRef', input: res('RequestAuthentication', { selector: sel, targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' } }), path: 'spec.targetRef', message: /only one of targetRefs, targetRef or workloadSelector/ },
  { name: 'misspelled field', input: ra({ jwks_uri: 'https://a' }), path: 'spec.jwtRules[0].jwks_uri', message: /did you mean "jwksUri"/ },
  // AuthorizationPolicy
  { name: 'unknown action', input: ap({ action: 'REJECT' }), path: 'spec.action', message: /must be one of/ },
  { name: 'CUSTOM without provider', input: ap({ action: 'CUSTOM', rules: [{}] }), path: 'spec.provider.name', message: /`provider.name` must not be empty/ },
  { name: 'CUSTOM without rules', input: ap({ action: 'CUSTOM', provider: { name: 'ext' } }), path: 'spec.rules', message: /CUSTOM action without `rules` is meaningless/ },
  { name: 'provider with ALLOW', input: ap({ provider: { name: 'ext' }, rules: [{}] }), path: 'spec.provider', message: /must not be with non CUSTOM action, found ALLOW/ },
  { name: 'empty from', input: ap({ rules: [{ from: [] }] }), path: 'spec.rules[0].from', message: /`from` must not be empty, found at rule 0/ },
  { name: 'empty source', input: ap({ rules: [{}, { from: [{ source: {} }] }] }), path: 'spec.rules[1].from[0].source', message: /`from.source` must not be empty, found at rule 1/ },
  { name: 'empty operation', input: ap({ rules: [{ to: [{ operation: {} }] }] }), path: 'spec.rules[0].to[0].operation', message: /`to.operation` must not be empty/ },
  { name: 'bad ipBlock', input: ap({ rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/33'] } }] }] }), path: 'spec.rules[0].from[0].source.ipBlocks[0]', message: /bad IP address or CIDR range/ },
  { name: 'bad port', input: ap({ rules: [{ to: [{ operation: { ports: ['http'] } }] }] }), path: 'spec.rules[0].to[0].operation.ports[0]', message: /bad port \(http\)/ },
  { name: 'empty method value', input: ap({ rules: [{ to: [{ operation: { methods: ['GET', ''] } }] }] }), path: 'spec.rules[0].to[0].operation.methods[1]', message: /empty value not allowed, found in methods/ },
  { name: 'unknown condition key', input: ap({ rules: [{ when: [{ key: 'request.verb', values: ['GET'] }] }] }), path: 'spec.rules[0].when[0].key', message: /unknown attribute: request.verb/ },
  { name: 'malformed header key', input: ap({ rules: [{ when: [{ key: 'request.headers[a][b]', values: ['x'] }] }] }), path: 'spec.rules[0].when[0].key', message: /invalid key/ },
  { name: 'condition without values', input: ap({ rules: [{ when: [{ key: 'source.namespace' }] }] }), path: 'spec.rules[0].when[0]', message: /at least one of `values` or `notValues` must be set/ },
  { name: 'bad destination.port value', input: ap({ rules: [{ when: [{ key: 'destination.port', notValues: ['99999'] }] }] }), path: 'spec.rules[0].when[0].notValues[0]', message: /bad port/ },
  { name: 'serviceAccounts with principals', input: ap({ rules: [{ from: [{ source: { serviceAccounts: ['sa'], principals: ['p'] } }] }] }), path: 'spec.rules[0].from[0].source.serviceAccounts', message: /cannot set serviceAccounts with namespaces or principals/ },
  { name: 'targetRef in another namespace', input: ap({ targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw', namespace: 'bar' } }), path: 'spec.targetRef.namespace', message: /cross namespace referencing/ },
];

describe('security.istio.io: rejections carry field paths', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = validateResource(c.input, { defaultNamespace: 'default' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const hit = r.errors.find((e) => e.path === c.path);
      expect(hit, JSON.stringify(r.errors)).toBeDefined();
      expect(hit?.message).toMatch(c.message);
    });
  }

  it('warns on a DENY policy without rules and on duplicate issuers', () => {
    const deny = validateResource(ap({ action: 'DENY' }), { defaultNamespace: 'default' });
    expect(deny.ok && deny.warnings).toEqual([{ path: 'spec.rules', message: expect.stringMatching(/never matches/) }]);
    const dup = validateResource(res('RequestAuthentication', { jwtRules: [{ issuer: 'a' }, { issuer: 'a' }] }), { defaultNamespace: 'default' });
    expect(dup.ok && dup.warnings.map((w) => w.path)).toEqual(['spec.jwtRules[1].issuer']);
  });
});

describe('istio.io/dry-run annotation', () => {
  const withDryRun = (kind: string, spec: unknown): Record<string, unknown> => ({ ...res(kind, spec), metadata: { name: 'p', namespace: 'foo', annotations: { 'istio.io/dry-run': 'true' } } });
  it('is accepted on AuthorizationPolicy only', () => {
    expect(validateResource(withDryRun('AuthorizationPolicy', {}), { defaultNamespace: 'default' }).ok).toBe(true);
    const r = validateResource(withDryRun('PeerAuthentication', {}), { defaultNamespace: 'default' });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(['metadata.annotations["istio.io/dry-run"]']);
  });
});
