import { parseDocuments, validateResource } from '@mizzen/config-api';
import type { ProxyNode, Service, Workload } from '@mizzen/mesh-model';
import {
  authorizationPoliciesFor,
  customAuthzFilters,
  DEFAULT_MESH_CONFIG,
  generate,
  grpcServerRbacFilters,
  inboundSecurityHttpFilters,
  MeshSnapshot,
  type SecurityHttpFilter,
} from '@mizzen/pilot-core';
import { decodeAny, encodeAny } from '@mizzen/xds-codec';
import { type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';

// Every security filter config Pilot generates must survive the real Envoy protos: encodeAny
// throws on any field, enum name or type URL the protos do not have.
const YAML = `
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  jwtRules:
  - issuer: "testing@secure.istio.io"
    jwksUri: "https://example.com:8443/jwks.json"
    audiences: [bookinfo]
    fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
    fromParams: [token]
    fromCookies: [session]
    forwardOriginalToken: true
    outputPayloadToHeader: x-jwt-payload
    outputClaimToHeaders: [{header: x-jwt-sub, claim: sub}]
    timeout: 1.5s
    spaceDelimitedClaims: [roles]
  - issuer: "inline"
    jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc","kid":"k1"}]}'
  - issuer: "nokeys"
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext, namespace: default}
spec:
  action: CUSTOM
  provider: {name: authz-http}
  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: audit, namespace: default}
spec:
  action: AUDIT
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: dry, namespace: default, annotations: {istio.io/dry-run: "true"}}
spec:
  action: ALLOW
  rules: [{from: [{source: {namespaces: [prod]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny, namespace: default}
spec:
  action: DENY
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/a/sa/b", "*-x", "p-*", "*"]
        notPrincipals: ["cluster.local/ns/c/sa/d"]
        requestPrincipals: ["iss/sub", "*", "iss/*", "*/sub", "pre*", "*suf"]
        notRequestPrincipals: ["*"]
        namespaces: ["foo", "bar-*"]
        notNamespaces: [kube-system]
        serviceAccounts: []
        ipBlocks: ["10.0.0.0/8", "::1"]
        notIpBlocks: ["10.1.0.0/16"]
        remoteIpBlocks: ["1.2.3.4"]
        notRemoteIpBlocks: ["5.6.7.0/24"]
    - source:
        serviceAccounts: ["ns1/sa1", "sa2"]
        notServiceAccounts: ["sa3"]
    to:
    - operation:
        hosts: ["example.com", "*.example.com", "ex*", "*"]
        notHosts: ["bad.example.com"]
        methods: ["GET", "P*", "*T", "*"]
        notMethods: ["DELETE"]
        paths: ["/api/*", "*/info", "/exact", "*"]
        notPaths: ["/private"]
        ports: ["9080"]
        notPorts: ["15000"]
    when:
    - {key: "request.headers[x-token]", values: ["abc", "*"], notValues: ["x*"]}
    - {key: "request.auth.claims[groups]", values: ["admin"]}
    - {key: "request.auth.claims[nested][key]", notValues: ["v"]}
    - {key: "request.auth.audiences", values: ["aud"]}
    - {key: "request.auth.presenter", values: ["azp"]}
    - {key: "request.auth.principal", values: ["iss/sub"]}
    - {key: "source.namespace", notValues: ["kube-system"]}
    - {key: "source.principal", values: ["cluster.local/ns/a/sa/b"]}
    - {key: "source.ip", values: ["10.1.2.3"]}
    - {key: "remote.ip", values: ["10.1.2.4"]}
    - {key: "destination.ip", values: ["10.9.0.0/16"]}
    - {key: "destination.port", values: ["9080"]}
    - {key: "connection.sni", values: ["*.svc.cluster.local"]}
    - {key: "experimental.envoy.filters.a.b[c]", values: ["v", "[w]"]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: default}
spec: {}
`;

const REVIEWS: ProxyNode = {
  id: 'sidecar~10.0.0.5~reviews-v1.default~default.svc.cluster.local',
  type: 'sidecar',
  ip: '10.0.0.5',
  namespace: 'default',
  workloadName: 'reviews-v1',
  labels: { app: 'reviews', version: 'v1' },
  serviceAccount: 'bookinfo-reviews',
  locality: {},
  interceptionMode: 'NONE',
  inbound: [{ port: 9080, name: 'http', protocol: 'HTTP', target: '127.0.0.1:19080' }],
  service: 'reviews',
};

function snapshot(): MeshSnapshot {
  const docs = parseDocuments(YAML);
  if (!docs.ok) throw new Error(JSON.stringify(docs.errors));
  const configs = docs.value.map((d) => {
    const r = validateResource(d, { defaultNamespace: 'default' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  });
  return MeshSnapshot.build({ configs, services: [], workloads: [], mesh: DEFAULT_MESH_CONFIG }, 1);
}

function roundTrip(filters: readonly SecurityHttpFilter[]): void {
  for (const f of filters) {
    const { ['@type']: typeUrl, ...body } = f.typedConfig;
    const decoded = decodeAny(encodeAny(typeUrl, body));
    expect(decoded.typeUrl).toBe(typeUrl);
    expect(Object.keys(decoded.body).length).toBeGreaterThan(0);
  }
}

describe('security filters encode with the Envoy protos', () => {
  const snap = snapshot();
  const providers = [
    { name: 'authz-http', protocol: 'http' as const, service: 'ext-authz.foo.svc.cluster.local', port: 8000, pathPrefix: '/check', failOpen: true, timeoutSeconds: 2, statusOnError: '503', includeRequestHeadersInCheck: ['x-ext-authz'] },
    { name: 'authz-grpc', protocol: 'grpc' as const, service: 'ext-authz.foo.svc.cluster.local', port: 9000, statusOnError: 'ServiceUnavailable' },
  ];

  it('CUSTOM + jwt_authn + AUDIT + DENY + ALLOW (with dry-run shadow rules)', () => {
    const filters = inboundSecurityHttpFilters(snap, REVIEWS, { extensionProviders: providers });
    expect(filters.map((f) => f.name)).toEqual([
      'envoy.filters.http.rbac',
      'envoy.filters.http.ext_authz',
      'envoy.filters.http.jwt_authn',
      'envoy.filters.http.rbac',
      'envoy.filters.http.rbac',
      'envoy.filters.http.rbac',
    ]);
    roundTrip(filters);
  });

  it('gRPC ext_authz provider, the bad-CUSTOM deny-all, and proxyless server RBAC', () => {
    const custom = authorizationPoliciesFor(snap, REVIEWS).CUSTOM.map((p) => ({ ...p, spec: { ...p.spec, provider: { name: 'authz-grpc' } } }));
    roundTrip(customAuthzFilters(custom, { extensionProviders: providers }));
    roundTrip(customAuthzFilters(custom));
    const grpc = grpcServerRbacFilters(snap, { ...REVIEWS, type: 'proxyless' });
    expect(grpc).toHaveLength(2);
    roundTrip(grpc);
  });
});

// The listeners and clusters the security generators are wired into, encoded whole: inbound mTLS
// chains (STRICT, PERMISSIVE, DISABLE by port), network RBAC on a TCP port, HTTP security filters
// on an HTTP port, auto mTLS transport socket matches, every DestinationRule tls mode, and EDS
// tlsMode metadata.
const WIRED_YAML = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  portLevelMtls:
    9080: {mode: PERMISSIVE}
    9091: {mode: DISABLE}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings, namespace: default}
spec:
  host: ratings
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
    portLevelSettings:
    - port: {number: 9443}
      tls: {mode: SIMPLE, caCertificates: /etc/ca.pem, subjectAltNames: [ratings.example.com], caCrl: /etc/crl.pem, sni: ratings.example.com}
  subsets:
  - {name: mutual, labels: {version: v1}, trafficPolicy: {tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}}}
  - {name: system, labels: {version: v2}, trafficPolicy: {tls: {mode: SIMPLE}}}
  - {name: insecure, labels: {version: v3}, trafficPolicy: {tls: {mode: SIMPLE, insecureSkipVerify: true}}}
  - {name: plain, labels: {version: v4}, trafficPolicy: {tls: {mode: DISABLE}}}
`;

describe('wired security encodes with the Envoy protos', () => {
  const parsed = parseDocuments(YAML + '\n---\n' + WIRED_YAML);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const configs = parsed.value.map((d) => {
    const r = validateResource(d, { defaultNamespace: 'default' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  });
  const svc = (name: string, ports: Service['ports']): Service => ({
    hostname: `${name}.default.svc.cluster.local`,
    namespace: 'default',
    ports,
    resolution: 'STATIC',
    location: 'MESH_INTERNAL',
    selector: { app: name },
    source: { kind: 'Registration', namespace: 'default', name },
  });
  const services = [
    svc('reviews', [{ name: 'http', number: 9080, protocol: 'HTTP' }]),
    svc('ratings', [{ name: 'http', number: 9080, protocol: 'HTTP' }, { name: 'grpc', number: 9090, protocol: 'GRPC' }, { name: 'tls', number: 9443, protocol: 'TLS' }]),
  ];
  const workloads: Workload[] = [
    { name: 'ratings-v1', namespace: 'default', address: '10.0.0.7', labels: { app: 'ratings', version: 'v1' }, serviceAccount: 'bookinfo-ratings', source: { kind: 'Registration', namespace: 'default', name: 'ratings-v1' } },
    { name: 'ratings-vm', namespace: 'default', address: '10.0.0.8', labels: { app: 'ratings', version: 'v2' }, serviceAccount: 'vm', source: { kind: 'WorkloadEntry', namespace: 'default', name: 'ratings-vm' } },
  ];
  const snap = MeshSnapshot.build({ configs, services, workloads, mesh: DEFAULT_MESH_CONFIG }, 1);
  const proxy: ProxyNode = {
    ...REVIEWS,
    inbound: [
      { port: 9080, name: 'http', protocol: 'HTTP', target: '127.0.0.1:19080' },
      { port: 9090, name: 'tcp', protocol: 'TCP', target: '127.0.0.1:19090' },
      { port: 9091, name: 'grpc', protocol: 'GRPC', target: '127.0.0.1:19091' },
    ],
  };

  it('for a sidecar under STRICT with port-level PERMISSIVE and DISABLE', () => {
    const lds = generate({ snapshot: snap, proxy }, TypeUrl.Listener);
    const cds = generate({ snapshot: snap, proxy }, TypeUrl.Cluster);
    const eds = generate({ snapshot: snap, proxy, names: cds.map((c) => c.name) }, TypeUrl.ClusterLoadAssignment);
    const json = JSON.stringify([...lds, ...cds, ...eds]);
    for (const needle of ['"transportProtocol":"tls"', '"transportProtocol":"raw_buffer"', 'envoy.filters.network.rbac', 'envoy.filters.http.jwt_authn', 'tlsMode-istio', 'UpstreamTlsContext', '"trustedCa"', '"crl"', 'file-root:system', '"tlsCertificates"', '"tlsMode":"istio"']) {
      expect(json, needle).toContain(needle);
    }
    for (const r of [...lds, ...cds, ...eds]) {
      const decoded = decodeAny(encodeAny(r.typeUrl, r.body));
      expect(decoded.typeUrl).toBe(r.typeUrl);
    }
    const byName = Object.fromEntries(lds.map((l) => [l.name, l.body as Listener]));
    expect(byName['10.0.0.5_9080'].filterChains?.map((c) => c.filterChainMatch?.transportProtocol)).toEqual(['tls', 'raw_buffer']);
    expect(byName['10.0.0.5_9090'].filterChains?.map((c) => c.filterChainMatch?.transportProtocol)).toEqual(['tls']);
    expect(byName['10.0.0.5_9091'].filterChains?.map((c) => c.filterChainMatch?.transportProtocol)).toEqual([undefined]);
  });
});
