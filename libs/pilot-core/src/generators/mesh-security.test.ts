import type { ProxyNode, Service, Workload } from '@mizzen/mesh-model';
import { type Cluster, type ClusterLoadAssignment, type DownstreamTlsContext, type FilterChain, type HttpConnectionManager, type Listener, TypeUrl, type UpstreamTlsContext } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, bookinfoSnapshot, GRPC_CLIENT, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';
import type { NetworkRbac } from './security';

// What a sidecar gets from security.istio.io and DestinationRule `tls`: inbound mTLS chains per
// PeerAuthentication mode, security filters on inbound listeners, auto mTLS on outbound clusters.

const doc = (kind: string, name: string, spec: string, ns = 'default', api = 'security.istio.io/v1'): string => `apiVersion: ${api}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:${spec}\n---\n`;
const pa = (name: string, ns: string, spec: string) => doc('PeerAuthentication', name, spec, ns);
const dr = (name: string, spec: string) => doc('DestinationRule', name, spec, 'default', 'networking.istio.io/v1');

const PP_TCP: ProxyNode = {
  ...PRODUCTPAGE_PROXY,
  inbound: [...PRODUCTPAGE_PROXY.inbound, { port: 9443, name: 'tcp-db', protocol: 'TCP', target: '127.0.0.1:19443' }],
};

function listener(snap: MeshSnapshot, proxy: ProxyNode, name: string): Listener {
  const l = generate({ snapshot: snap, proxy }, TypeUrl.Listener).find((r) => r.name === name);
  if (!l) throw new Error(`no listener ${name}`);
  return l.body as Listener;
}

function cluster(snap: MeshSnapshot, name: string, proxy: ProxyNode = PRODUCTPAGE_PROXY): Cluster {
  const c = generate({ snapshot: snap, proxy }, TypeUrl.Cluster).find((r) => r.name === name);
  if (!c) throw new Error(`no cluster ${name}`);
  return c.body as Cluster;
}

/** Envoy's filter chain selection on `transport_protocol` (the tls_inspector's verdict). */
function chainFor(l: Listener, transportProtocol: 'tls' | 'raw_buffer'): FilterChain | undefined {
  const chains = l.filterChains ?? [];
  return chains.find((c) => c.filterChainMatch?.transportProtocol === transportProtocol) ?? chains.find((c) => !c.filterChainMatch?.transportProtocol);
}

const hcmOf = (c: FilterChain): HttpConnectionManager => c.filters[0].typedConfig as unknown as HttpConnectionManager;
const downstreamTls = (c: FilterChain): DownstreamTlsContext => c.transportSocket?.typedConfig as unknown as DownstreamTlsContext;
const upstreamTls = (t: Cluster['transportSocket']): UpstreamTlsContext => t?.typedConfig as unknown as UpstreamTlsContext;

describe('inbound listeners follow PeerAuthentication', () => {
  it('PERMISSIVE by default: tls_inspector, an mTLS chain and a plaintext chain with the same filters', () => {
    const l = listener(bookinfoSnapshot(''), PRODUCTPAGE_PROXY, '127.1.0.1_9080');
    expect(l.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    expect(l.filterChains?.map((c) => c.filterChainMatch?.transportProtocol)).toEqual(['tls', 'raw_buffer']);
    const [mtls, plain] = l.filterChains ?? [];
    expect(plain.transportSocket).toBeUndefined();
    expect(mtls.filters).toEqual(plain.filters);
    expect(mtls.transportSocket?.name).toBe('envoy.transport_sockets.tls');
    const ctx = downstreamTls(mtls);
    expect(ctx).toMatchObject({
      '@type': TypeUrl.DownstreamTlsContext,
      requireClientCertificate: { value: true },
      commonTlsContext: {
        tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2' },
        tlsCertificateSdsSecretConfigs: [{ name: 'default', sdsConfig: { apiConfigSource: { apiType: 'GRPC', grpcServices: [{ envoyGrpc: { clusterName: 'sds-grpc' } }] } } }],
        combinedValidationContext: { defaultValidationContext: { matchSubjectAltNames: [{ prefix: 'spiffe://' }] }, validationContextSdsSecretConfig: { name: 'ROOTCA' } },
        alpnProtocols: ['h2', 'http/1.1'],
      },
    });
  });

  it('STRICT (mesh-wide): only the mTLS chain, so plaintext matches nothing', () => {
    const l = listener(bookinfoSnapshot(pa('default', 'istio-system', '\n  mtls: {mode: STRICT}')), PRODUCTPAGE_PROXY, '127.1.0.1_9080');
    expect(l.filterChains).toHaveLength(1);
    expect(chainFor(l, 'tls')?.transportSocket?.name).toBe('envoy.transport_sockets.tls');
    expect(chainFor(l, 'raw_buffer')).toBeUndefined();
  });

  it('DISABLE (namespace): one plaintext chain and no tls_inspector', () => {
    const l = listener(bookinfoSnapshot(pa('default', 'default', '\n  mtls: {mode: DISABLE}')), PRODUCTPAGE_PROXY, '127.1.0.1_9080');
    expect(l.listenerFilters).toBeUndefined();
    expect(l.filterChains).toHaveLength(1);
    expect(l.filterChains?.[0].filterChainMatch).toBeUndefined();
    expect(l.filterChains?.[0].transportSocket).toBeUndefined();
  });

  it('portLevelMtls overrides the mode of its port only; a TCP port gets no ALPN', () => {
    const snap = bookinfoSnapshot(pa('default', 'istio-system', '\n  mtls: {mode: STRICT}') + pa('pp', 'default', '\n  selector: {matchLabels: {app: productpage}}\n  portLevelMtls:\n    9080: {mode: PERMISSIVE}'));
    expect(listener(snap, PP_TCP, '127.1.0.1_9080').filterChains?.map((c) => c.filterChainMatch?.transportProtocol)).toEqual(['tls', 'raw_buffer']);
    const tcp = listener(snap, PP_TCP, '127.1.0.1_9443');
    expect(tcp.filterChains?.map((c) => c.filterChainMatch?.transportProtocol)).toEqual(['tls']);
    expect(downstreamTls(tcp.filterChains![0]).commonTlsContext?.alpnProtocols).toBeUndefined();
  });
});

const JWT = doc('RequestAuthentication', 'jwt', `\n  selector: {matchLabels: {app: productpage}}\n  jwtRules: [{issuer: "testing@secure.istio.io", jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc"}]}'}]`);
const ALLOW_GET = doc('AuthorizationPolicy', 'allow-get', '\n  selector: {matchLabels: {app: productpage}}\n  rules: [{to: [{operation: {methods: ["GET"]}}]}]');
const DENY_ADMIN = doc('AuthorizationPolicy', 'deny-admin', '\n  action: DENY\n  rules: [{to: [{operation: {paths: ["/admin"]}}]}]');

describe('inbound security filters', () => {
  it('HTTP: CUSTOM, jwt_authn, RBAC before fault, CORS and router (Istio order), on every chain', () => {
    const l = listener(bookinfoSnapshot(JWT + ALLOW_GET + DENY_ADMIN), PRODUCTPAGE_PROXY, '127.1.0.1_9080');
    for (const c of l.filterChains ?? []) {
      expect(hcmOf(c).httpFilters?.map((f) => f.name)).toEqual([
        'envoy.filters.http.jwt_authn',
        'envoy.filters.http.rbac',
        'envoy.filters.http.rbac',
        'envoy.filters.http.fault',
        'envoy.filters.http.cors',
        'envoy.filters.http.router',
      ]);
    }
  });

  it('a workload no policy selects keeps fault, CORS and router only', () => {
    const details: ProxyNode = { ...PRODUCTPAGE_PROXY, ip: '127.1.0.2', labels: { app: 'details' }, workloadName: 'details-v1' };
    const l = listener(bookinfoSnapshot(JWT + ALLOW_GET), details, '127.1.0.2_9080');
    expect(hcmOf(l.filterChains![0]).httpFilters?.map((f) => f.name)).toEqual(['envoy.filters.http.fault', 'envoy.filters.http.cors', 'envoy.filters.http.router']);
  });

  it('TCP: network RBAC before tcp_proxy; HTTP-only fields drop an ALLOW rule and widen a DENY rule', () => {
    const l = listener(bookinfoSnapshot(ALLOW_GET + DENY_ADMIN), PP_TCP, '127.1.0.1_9443');
    const chain = l.filterChains![0];
    expect(chain.filters.map((f) => f.name)).toEqual(['envoy.filters.network.rbac', 'envoy.filters.network.rbac', 'envoy.filters.network.tcp_proxy']);
    const [deny, allow] = chain.filters.slice(0, 2).map((f) => f.typedConfig as unknown as NetworkRbac & { '@type': string });
    expect(deny['@type']).toBe(TypeUrl.NetworkRBAC);
    expect(deny.statPrefix).toBe('tcp.');
    // DENY paths:["/admin"]: the path cannot be seen on TCP, so the rule denies every connection.
    expect(deny.rules).toEqual({
      action: 'DENY',
      policies: { 'ns[default]-policy[deny-admin]-rule[0]': { permissions: [{ andRules: { rules: [{ any: true }] } }], principals: [{ andIds: { ids: [{ any: true }] } }] } },
    });
    // ALLOW methods:["GET"]: the rule is dropped, leaving an allow filter that allows nothing.
    expect(allow.rules).toEqual({ action: 'ALLOW', policies: {} });
    expect(chain.filters[2].typedConfig).toMatchObject({ cluster: 'inbound|9443||', statPrefix: 'inbound|9443||' });
  });

  it('TCP keeps the L4 fields of a rule (principals, ports)', () => {
    const allow = doc('AuthorizationPolicy', 'allow-sa', '\n  rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/reviews"]}}], to: [{operation: {ports: ["9443"], methods: ["GET"]}}]}]');
    const deny = doc('AuthorizationPolicy', 'deny-ns', '\n  action: DENY\n  rules: [{from: [{source: {namespaces: ["evil"], requestPrincipals: ["*"]}}]}]');
    const filters = listener(bookinfoSnapshot(allow + deny), PP_TCP, '127.1.0.1_9443').filterChains![0].filters;
    const rbac = filters.slice(0, 2).map((f) => JSON.stringify(f.typedConfig));
    expect(rbac[0]).toContain('.*/ns/evil/.*');
    expect(rbac[0]).not.toContain('jwt_authn');
    // the ALLOW rule mixes ports and methods: methods is HTTP only, so the whole rule is dropped
    expect(JSON.parse(rbac[1]).rules).toEqual({ action: 'ALLOW', policies: {} });
  });

  it('CUSTOM on TCP fails closed: its rules become a network DENY filter', () => {
    const custom = doc('AuthorizationPolicy', 'ext', '\n  action: CUSTOM\n  provider: {name: authz}\n  rules: [{from: [{source: {namespaces: ["a"]}}]}]');
    const filters = listener(bookinfoSnapshot(custom), PP_TCP, '127.1.0.1_9443').filterChains![0].filters;
    expect(filters.map((f) => f.name)).toEqual(['envoy.filters.network.rbac', 'envoy.filters.network.tcp_proxy']);
    expect(Object.keys((filters[0].typedConfig as unknown as NetworkRbac).rules?.policies ?? {})).toEqual(['istio-ext-authz-ns[default]-policy[ext]-rule[0]']);
  });
});

const REVIEWS_V1 = 'outbound|9080|v1|reviews.default.svc.cluster.local';
const REVIEWS = 'outbound|9080||reviews.default.svc.cluster.local';
const SUBSETS = '\n  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}';

describe('auto mTLS on outbound clusters', () => {
  it('without DestinationRule tls: mTLS to tlsMode=istio endpoints with their SPIFFE SANs, plaintext to others', () => {
    const c = cluster(bookinfoSnapshot(dr('reviews', SUBSETS)), REVIEWS_V1);
    expect(c.transportSocket).toBeUndefined();
    expect(c.transportSocketMatches?.map((m) => [m.name, m.match])).toEqual([
      ['tlsMode-istio', { tlsMode: 'istio' }],
      ['tlsMode-disabled', {}],
    ]);
    const tls = upstreamTls(c.transportSocketMatches![0].transportSocket);
    expect(tls.sni).toBe('outbound_.9080_.v1_.reviews.default.svc.cluster.local');
    expect(tls.commonTlsContext?.alpnProtocols).toEqual(['istio-peer-exchange', 'istio']);
    expect(tls.commonTlsContext?.tlsCertificateSdsSecretConfigs?.map((s) => s.name)).toEqual(['default']);
    expect(tls.commonTlsContext?.combinedValidationContext?.defaultValidationContext.matchSubjectAltNames).toEqual([{ exact: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews' }]);
    expect(tls.commonTlsContext?.combinedValidationContext?.validationContextSdsSecretConfig.name).toBe('ROOTCA');
    expect(c.transportSocketMatches![1].transportSocket?.name).toBe('envoy.transport_sockets.raw_buffer');
  });

  it('uses the mesh trust domain, every service account of the service, and h2 ALPN for HTTP/2 clusters', () => {
    const grpc: Service = { ...BOOKINFO_SERVICES[2], hostname: 'grpc.default.svc.cluster.local', ports: [{ name: 'grpc', number: 7070, protocol: 'GRPC' }], selector: { app: 'grpc' } };
    const wl = (name: string, sa: string): Workload => ({ ...BOOKINFO_WORKLOADS[0], name, address: `127.9.0.${name.length}`, labels: { app: 'grpc' }, serviceAccount: sa });
    const snap = MeshSnapshot.build({ configs: [], services: [grpc], workloads: [wl('b', 'zeta'), wl('aa', 'alpha'), wl('ccc', 'zeta')], mesh: { ...DEFAULT_MESH_CONFIG, trustDomain: 'example.org' } }, 1);
    const tls = upstreamTls(cluster(snap, 'outbound|7070||grpc.default.svc.cluster.local').transportSocketMatches![0].transportSocket);
    expect(tls.commonTlsContext?.alpnProtocols).toEqual(['istio-peer-exchange', 'istio', 'h2']);
    expect(tls.commonTlsContext?.combinedValidationContext?.defaultValidationContext.matchSubjectAltNames).toEqual([
      { exact: 'spiffe://example.org/ns/default/sa/alpha' },
      { exact: 'spiffe://example.org/ns/default/sa/zeta' },
    ]);
  });

  it('not for a namespace whose PeerAuthentication is DISABLE, MESH_EXTERNAL services or passthrough clusters', () => {
    expect(cluster(bookinfoSnapshot(pa('default', 'default', '\n  mtls: {mode: DISABLE}')), REVIEWS).transportSocketMatches).toBeUndefined();
    // a mesh-wide DISABLE is overridden by the namespace's STRICT
    const nsStrict = bookinfoSnapshot(pa('default', 'istio-system', '\n  mtls: {mode: DISABLE}') + pa('default', 'default', '\n  mtls: {mode: STRICT}'));
    expect(cluster(nsStrict, REVIEWS).transportSocketMatches).toHaveLength(2);
    expect(cluster(bookinfoSnapshot(dr('reviews', '\n  host: reviews\n  trafficPolicy: {loadBalancer: {simple: PASSTHROUGH}}')), REVIEWS).transportSocketMatches).toBeUndefined();
    const ext: Service = { ...BOOKINFO_SERVICES[0], hostname: 'api.example.com', location: 'MESH_EXTERNAL', resolution: 'DNS', selector: undefined, ports: [{ name: 'http', number: 80, protocol: 'HTTP' }] };
    const snap = MeshSnapshot.build({ configs: [], services: [ext], workloads: [], mesh: DEFAULT_MESH_CONFIG }, 1);
    const c = cluster(snap, 'outbound|80||api.example.com');
    expect(c.transportSocket).toBeUndefined();
    expect(c.transportSocketMatches).toBeUndefined();
  });

  it('proxyless gRPC clusters stay plaintext (grpc-js-xds takes no SDS)', () => {
    const snap = bookinfoSnapshot(dr('reviews', `${SUBSETS}\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}`));
    const [c] = generate({ snapshot: snap, proxy: GRPC_CLIENT, names: [REVIEWS_V1] }, TypeUrl.Cluster).map((r) => r.body as Cluster);
    expect(c.name).toBe(REVIEWS_V1);
    expect(c.transportSocket).toBeUndefined();
    expect(c.transportSocketMatches).toBeUndefined();
  });
});

describe('DestinationRule tls', () => {
  it('ISTIO_MUTUAL: a plain transport socket (always mTLS); subset and port-level settings take precedence as in Istio', () => {
    const spec = `
  host: reviews
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
    portLevelSettings:
    - port: {number: 9080}
      tls: {mode: ISTIO_MUTUAL, sni: port.example, subjectAltNames: ["spiffe://cluster.local/ns/x/sa/y"]}
  subsets:
  - {name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: DISABLE}}}
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      tls: {mode: DISABLE}
      portLevelSettings: [{port: {number: 9080}, tls: {mode: ISTIO_MUTUAL}}]`;
    const snap = bookinfoSnapshot(dr('reviews', spec));
    const top = cluster(snap, REVIEWS);
    expect(top.transportSocketMatches).toBeUndefined();
    expect(upstreamTls(top.transportSocket)).toMatchObject({ sni: 'port.example', commonTlsContext: { combinedValidationContext: { defaultValidationContext: { matchSubjectAltNames: [{ exact: 'spiffe://cluster.local/ns/x/sa/y' }] } } } });
    // the subset's tls overrides the top-level port-level setting
    const v1 = cluster(snap, REVIEWS_V1);
    expect([v1.transportSocket, v1.transportSocketMatches]).toEqual([undefined, undefined]);
    // the subset's own port-level setting wins over the subset's tls
    const v2 = upstreamTls(cluster(snap, 'outbound|9080|v2|reviews.default.svc.cluster.local').transportSocket);
    expect(v2.sni).toBe('outbound_.9080_.v2_.reviews.default.svc.cluster.local');
    expect(v2.commonTlsContext?.combinedValidationContext?.defaultValidationContext.matchSubjectAltNames).toEqual([{ exact: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews' }]);
  });

  it('ISTIO_MUTUAL to a ServiceEntry host also accepts its subjectAltNames (Istio adds them to the service accounts)', () => {
    const db: Service = {
      hostname: 'db.example.internal',
      namespace: 'default',
      ports: [{ name: 'tcp', number: 5432, protocol: 'TCP' }],
      resolution: 'STATIC',
      location: 'MESH_INTERNAL',
      endpoints: [{ address: '127.1.0.99', serviceAccount: 'db' }],
      subjectAltNames: ['spiffe://legacy.example/db', 'spiffe://cluster.local/ns/default/sa/db'],
      source: { kind: 'ServiceEntry', namespace: 'default', name: 'db' },
    };
    const snap = MeshSnapshot.build({ configs: bookinfoSnapshot(dr('db', '\n  host: db.example.internal\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}')).configsOfKind('DestinationRule'), services: [...BOOKINFO_SERVICES, db], workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);
    const c = cluster(snap, 'outbound|5432||db.example.internal');
    expect(upstreamTls(c.transportSocket).commonTlsContext?.combinedValidationContext?.defaultValidationContext.matchSubjectAltNames).toEqual([
      { exact: 'spiffe://cluster.local/ns/default/sa/db' },
      { exact: 'spiffe://legacy.example/db' },
    ]);
  });

  it('DISABLE: plaintext even to sidecars', () => {
    const c = cluster(bookinfoSnapshot(dr('reviews', '\n  host: reviews\n  trafficPolicy: {tls: {mode: DISABLE}}')), REVIEWS);
    expect([c.transportSocket, c.transportSocketMatches]).toEqual([undefined, undefined]);
  });

  it('SIMPLE: SNI, trusted CA file, SANs; the system roots without caCertificates; nothing verified with insecureSkipVerify', () => {
    const simple = upstreamTls(cluster(bookinfoSnapshot(dr('reviews', '\n  host: reviews\n  trafficPolicy: {tls: {mode: SIMPLE, sni: api.example.com, caCertificates: /etc/ca.pem, subjectAltNames: [api.example.com], caCrl: /etc/crl.pem}}')), REVIEWS).transportSocket);
    expect(simple).toEqual({
      '@type': TypeUrl.UpstreamTlsContext,
      sni: 'api.example.com',
      commonTlsContext: {
        tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' },
        validationContext: { trustedCa: { filename: '/etc/ca.pem' }, matchSubjectAltNames: [{ exact: 'api.example.com' }], crl: { filename: '/etc/crl.pem' } },
      },
    });
    const system = upstreamTls(cluster(bookinfoSnapshot(dr('reviews', '\n  host: reviews\n  trafficPolicy: {tls: {mode: SIMPLE}}')), REVIEWS).transportSocket);
    expect(system.sni).toBe('reviews.default.svc.cluster.local');
    expect(system.commonTlsContext?.validationContext).toBeUndefined();
    expect(system.commonTlsContext?.combinedValidationContext?.validationContextSdsSecretConfig.name).toBe('file-root:system');
    const insecure = upstreamTls(cluster(bookinfoSnapshot(dr('reviews', '\n  host: reviews\n  trafficPolicy: {tls: {mode: SIMPLE, insecureSkipVerify: true}}')), REVIEWS).transportSocket);
    expect(insecure.commonTlsContext?.validationContext).toBeUndefined();
    expect(insecure.commonTlsContext?.combinedValidationContext).toBeUndefined();
  });

  it('MUTUAL: the client certificate and key files', () => {
    const m = upstreamTls(cluster(bookinfoSnapshot(dr('reviews', '\n  host: reviews\n  trafficPolicy: {tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem}}')), REVIEWS).transportSocket);
    expect(m.commonTlsContext?.tlsCertificates).toEqual([{ certificateChain: { filename: '/c.pem' }, privateKey: { filename: '/k.pem' } }]);
    expect(m.commonTlsContext?.validationContext?.trustedCa).toEqual({ filename: '/ca.pem' });
  });
});

describe('EDS tlsMode metadata', () => {
  const svc: Service = { ...BOOKINFO_SERVICES[0], hostname: 'vm.default.svc.cluster.local', selector: { app: 'vm' } };
  const base: Workload = { ...BOOKINFO_WORKLOADS[0], labels: { app: 'vm' } };
  const workloads: Workload[] = [
    { ...base, name: 'registered', address: '10.0.0.1' },
    { ...base, name: 'vm-plain', address: '10.0.0.2', source: { kind: 'WorkloadEntry', namespace: 'default', name: 'vm-plain' } },
    { ...base, name: 'vm-sidecar', address: '10.0.0.3', labels: { app: 'vm', 'security.istio.io/tlsMode': 'istio' }, source: { kind: 'WorkloadEntry', namespace: 'default', name: 'vm-sidecar' } },
  ];
  const inline: Service = {
    ...svc,
    hostname: 'se.example.com',
    selector: undefined,
    endpoints: [{ address: '10.1.0.1', labels: { 'security.istio.io/tlsMode': 'istio' } }, { address: '10.1.0.2' }],
    source: { kind: 'ServiceEntry', namespace: 'default', name: 'se' },
  };
  const snap = MeshSnapshot.build({ configs: [], services: [svc, inline], workloads, mesh: DEFAULT_MESH_CONFIG }, 1);
  const tlsModes = (name: string) => {
    const [cla] = generate({ snapshot: snap, proxy: PRODUCTPAGE_PROXY, names: [name] }, TypeUrl.ClusterLoadAssignment).map((r) => r.body as ClusterLoadAssignment);
    return Object.fromEntries((cla.endpoints ?? []).flatMap((g) => g.lbEndpoints).map((e) => [e.endpoint.address.socketAddress?.address, e.metadata?.filterMetadata?.['envoy.transport_socket_match']]));
  };

  it('registered workloads and tlsMode-labelled WorkloadEntries are marked; others are not', () => {
    expect(tlsModes('outbound|9080||vm.default.svc.cluster.local')).toEqual({ '10.0.0.1': { tlsMode: 'istio' }, '10.0.0.2': undefined, '10.0.0.3': { tlsMode: 'istio' } });
  });

  it('ServiceEntry endpoints are marked by their label', () => {
    expect(tlsModes('outbound|9080||se.example.com')).toEqual({ '10.1.0.1': { tlsMode: 'istio' }, '10.1.0.2': undefined });
  });

  it('the default Bookinfo config gives every endpoint tlsMode istio', () => {
    const [cla] = generate({ snapshot: bookinfoSnapshot(''), proxy: PRODUCTPAGE_PROXY, names: [REVIEWS] }, TypeUrl.ClusterLoadAssignment).map((r) => r.body as ClusterLoadAssignment);
    const eps = (cla.endpoints ?? []).flatMap((g) => g.lbEndpoints);
    expect(eps).toHaveLength(3);
    expect(eps.every((e) => e.metadata?.filterMetadata?.['envoy.transport_socket_match']?.tlsMode === 'istio')).toBe(true);
  });
});

