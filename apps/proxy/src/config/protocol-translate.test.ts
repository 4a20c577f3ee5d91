import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { selfSignedCert } from '../testing/certs';
import * as p from '../testing/protocol-builders';
import * as b from '../testing/xds-builders';
import type { ClusterConfig, ListenerConfig } from './model';
import { clusterResource, listenerResource } from './resources';
import { Issues, formatIssues } from './translate/issues';

function translate<B, T>(t: { translate(body: B, issues: Issues): T | undefined }, body: B): { value?: T; errors: string[]; warnings: string[] } {
  const issues = new Issues();
  const value = t.translate(body, issues);
  return { value, errors: issues.errors.map((e) => formatIssues([e])), warnings: issues.warnings.map((e) => formatIssues([e])) };
}

const listener = (l: xds.Listener): ListenerConfig => {
  const r = translate(listenerResource, l);
  expect(r.errors).toEqual([]);
  return r.value as ListenerConfig;
};
const listenerErrors = (l: xds.Listener): string => translate(listenerResource, l).errors.join('\n');
const cluster = (c: xds.Cluster): ClusterConfig => {
  const r = translate(clusterResource, c);
  expect(r.errors).toEqual([]);
  return r.value as ClusterConfig;
};

describe('TcpProxy filter chains', () => {
  it('reads a single-cluster tcp_proxy (Envoy defaults: 1 h idle timeout, 1 connect attempt)', () => {
    const l = listener(p.tcpListener('outbound_tcp_27017', '127.1.0.5', 27017, 'outbound|27017||mongo.default.svc.cluster.local'));
    expect(l.filterChains[0].filter).toEqual({
      kind: 'tcp',
      tcp: { statPrefix: 'outbound_tcp_27017', clusters: [{ name: 'outbound|27017||mongo.default.svc.cluster.local', weight: 1 }], totalWeight: 1, idleTimeoutMs: 3_600_000, maxConnectAttempts: 1 },
    });
  });

  it('reads weighted clusters, idle timeout and connect attempts', () => {
    const l = listener(p.tcpListener('t', '127.0.0.1', 9000, [['a', 80], ['b', 20]], { idleTimeout: { seconds: 30 }, maxConnectAttempts: { value: 3 } }));
    expect(l.filterChains[0].filter).toMatchObject({ kind: 'tcp', tcp: { clusters: [{ name: 'a', weight: 80 }, { name: 'b', weight: 20 }], totalWeight: 100, idleTimeoutMs: 30_000, maxConnectAttempts: 3 } });
  });

  it('reads tunneling_config: CONNECT by default, POST to / unless post_path says otherwise', () => {
    const tcp = (t: xds.TcpProxyTunnelingConfig) => (listener(p.tcpListener('t', '127.0.0.1', 9000, 'c', { tunnelingConfig: t })).filterChains[0].filter as { tcp: unknown }).tcp;
    expect(tcp({ hostname: 'db.internal:5432' })).toMatchObject({ tunneling: { hostname: 'db.internal:5432', usePost: false, postPath: '/' } });
    expect(tcp({ hostname: 'db.internal:5432', usePost: true, postPath: '/tunnel' })).toMatchObject({ tunneling: { hostname: 'db.internal:5432', usePost: true, postPath: '/tunnel' } });
  });

  it.each<[string, Partial<xds.TcpProxy> | Array<[string, number]>, string]>([
    ['neither cluster nor weights', { cluster: '' }, 'exactly one of cluster, weightedClusters is required'],
    ['all weights zero', [['a', 0]], 'weightedClusters: the weights must add up to more than 0'],
    ['metadata match', { metadataMatch: {} }, 'metadataMatch: not supported'],
    ['a tunnel without hostname', { tunnelingConfig: { hostname: '' } }, 'tunnelingConfig.hostname: is required'],
    ['a tunnel hostname with formatters', { tunnelingConfig: { hostname: '%REQUESTED_SERVER_NAME%:443' } }, 'tunnelingConfig.hostname: substitution formatters are not supported'],
    ['post_path without use_post', { tunnelingConfig: { hostname: 'a:1', postPath: '/t' } }, 'tunnelingConfig.postPath: requires usePost'],
  ])('rejects %s', (_n, change, want) => {
    const l = Array.isArray(change) ? p.tcpListener('t', '127.0.0.1', 9000, change) : p.tcpListener('t', '127.0.0.1', 9000, 'c', change);
    expect(listenerErrors(l)).toContain(want);
  });
});

describe('filter chain matches and listener filters', () => {
  it('reads tls_inspector and per-host SNI chains (TLS passthrough)', () => {
    const l = listener(p.sniListener('outbound_tls_443', '127.1.0.5', 443, [[['api.example.com'], 'api'], [['*.example.com'], 'wild']]));
    expect(l.tlsInspector).toBe(true);
    expect(l.filterChains.map((c) => c.match.serverNames)).toEqual([['api.example.com'], ['*.example.com']]);
    expect(l.listenerFiltersTimeoutMs).toBe(15_000);
  });

  it.each<[string, (l: xds.Listener) => void, string]>([
    ['partial wildcards', (l) => (l.filterChains![0].filterChainMatch = { serverNames: ['api*.example.com'] }), 'filterChains[0].filterChainMatch.serverNames[0]: invalid server name "api*.example.com"'],
    ['duplicate matches', (l) => (l.filterChains![1].filterChainMatch = { serverNames: ['api.example.com'] }), 'filterChains[1]: filterChains[0] matches the same connections (*, *, api.example.com'],
    ['overlapping server names', (l) => (l.filterChains![1].filterChainMatch = { serverNames: ['*.example.com', 'api.example.com'] }), 'filterChains[1]: filterChains[0] matches the same connections'],
    ['unknown listener filters', (l) => l.listenerFilters!.push({ name: FilterName.OriginalDst, typedConfig: toAny(TypeUrl.OriginalDst, {}) }), 'listenerFilters[1]: listener filter "envoy.filters.listener.original_dst"'],
    ['bad CIDRs', (l) => (l.filterChains![0].filterChainMatch = { prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: { value: 33 } }] }), 'prefixRanges[0].prefixLen: must be in [0, 32]'],
    ['unknown transport protocols', (l) => (l.filterChains![0].filterChainMatch = { transportProtocol: 'quic' }), 'unknown transport protocol "quic"'],
  ])('rejects %s', (_n, mutate, want) => {
    const l = p.sniListener('l', '127.0.0.1', 443, [[['api.example.com'], 'api'], [['*.example.com'], 'wild']]);
    mutate(l);
    expect(listenerErrors(l)).toContain(want);
  });

  it('accepts chains that differ in one server name (Envoy matches per name)', () => {
    const l = p.sniListener('l', '127.0.0.1', 443, [[['a.example.com', 'b.example.com'], 'ab'], [['c.example.com'], 'c']]);
    expect(listenerErrors(l)).toBe('');
  });

  it('warns that SNI chains never match without tls_inspector', () => {
    const l = p.sniListener('l', '127.0.0.1', 443, [[['a.example.com'], 'a']]);
    l.listenerFilters = [];
    expect(translate(listenerResource, l).warnings.join()).toContain('no tls_inspector: it never matches');
  });
});

describe('HttpConnectionManager protocol options', () => {
  it("reads Pilot's HCM: codec AUTO, websocket upgrades", () => {
    const l = listener(p.withIstioHcm(b.listener('l', '127.0.0.1', 8080, { rds: 'r' })));
    expect(l.filterChains[0].filter).toMatchObject({ kind: 'http', hcm: { codec: 'auto', upgrades: ['websocket'], http2: { maxConcurrentStreams: 2147483647 } } });
  });

  it('drops disabled upgrades and rejects CONNECT and upgrade filter chains', () => {
    const ok = listener(p.withIstioHcm(b.listener('l', '127.0.0.1', 8080, { rds: 'r' }), [{ upgradeType: 'WebSocket', enabled: { value: false } }]));
    expect(ok.filterChains[0].filter).toMatchObject({ hcm: { upgrades: [] } });
    const bad = p.withIstioHcm(b.listener('l', '127.0.0.1', 8080, { rds: 'r' }), [{ upgradeType: 'CONNECT' }, { upgradeType: 'websocket', filters: [b.router] }]);
    expect(listenerErrors(bad)).toContain('upgradeConfigs[0].upgradeType: CONNECT is not supported');
    expect(listenerErrors(bad)).toContain('upgradeConfigs[1].filters: upgrade-specific filter chains are not supported');
  });
});

describe('DownstreamTlsContext (gateway SIMPLE TLS)', () => {
  const cert = selfSignedCert(['bookinfo.example.com']);

  it('loads the certificate files and ALPN', () => {
    const l = listener(p.httpsListener('0.0.0.0_443', '127.0.0.1', 443, 'https.443', cert.certFile, cert.keyFile, ['bookinfo.example.com']));
    const chain = l.filterChains[0];
    expect(chain.tls).toMatchObject({ certificates: [{ certificateChain: cert.cert, privateKey: cert.key }], alpn: ['h2', 'http/1.1'], requireClientCertificate: false, minVersion: 'TLSv1.2' });
    expect(chain.match.serverNames).toEqual(['bookinfo.example.com']);
  });

  it('rejects a missing file, both files and SDS, and a key that does not parse, naming the field', () => {
    const missing = p.httpsListener('l', '127.0.0.1', 443, 'r', '/nonexistent/cert.pem', cert.keyFile);
    expect(listenerErrors(missing)).toContain('filterChains[0].transportSocket.typedConfig.commonTlsContext.tlsCertificates[0].certificateChain.filename: cannot read /nonexistent/cert.pem');
    const sds = p.httpsListener('l', '127.0.0.1', 443, 'r', cert.certFile, cert.keyFile);
    const ctx = sds.filterChains![0].transportSocket!.typedConfig as xds.Any & xds.DownstreamTlsContext;
    ctx.commonTlsContext = { ...ctx.commonTlsContext, tlsCertificateSdsSecretConfigs: [{ name: 'default' }] };
    expect(listenerErrors(sds)).toContain('commonTlsContext: only one of tlsCertificates, tlsCertificateSdsSecretConfigs may be set');
    const garbage = p.httpsListener('l', '127.0.0.1', 443, 'r', cert.certFile, cert.certFile);
    expect(listenerErrors(garbage)).toContain('invalid TLS material');
  });
});

describe('cluster upstream protocol (never guessed from traffic)', () => {
  it('HTTP/1.1 by default', () => {
    expect(cluster(b.staticCluster('c', [['127.0.0.1', 80]]))).toMatchObject({ protocol: 'http1' });
  });

  it.each(['typed', 'deprecated'] as const)('HTTP/2 from %s http2_protocol_options', (form) => {
    expect(cluster(p.h2Cluster('c', [['127.0.0.1', 80]], form))).toMatchObject({ protocol: 'http2', maxConcurrentStreams: 2147483647 });
  });

  it('follows the downstream with use_downstream_protocol_config, and reads max_concurrent_streams', () => {
    const opts = (body: object): Partial<xds.Cluster> => ({ typedExtensionProtocolOptions: { [FilterName.HttpProtocolOptions]: toAny(TypeUrl.HttpProtocolOptions, body) } });
    expect(cluster(b.staticCluster('c', [['127.0.0.1', 80]], opts({ useDownstreamProtocolConfig: { http2ProtocolOptions: { maxConcurrentStreams: { value: 10 } } } })))).toMatchObject({ protocol: 'downstream', maxConcurrentStreams: 10 });
    const auto = translate(clusterResource, b.staticCluster('c', [['127.0.0.1', 80]], opts({ autoConfig: {} })));
    expect(auto.errors.join()).toContain('autoConfig: ALPN protocol selection needs upstream TLS');
  });
});
