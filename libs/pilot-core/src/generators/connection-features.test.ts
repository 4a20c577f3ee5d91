import { type Cluster, type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, configsFromYaml, GATEWAY_PROXY, PRODUCTPAGE_PROXY, svc } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

const snapshotWith = (yaml: string) => MeshSnapshot.build({ configs: configsFromYaml(yaml), services: [...BOOKINFO_SERVICES, svc('db', 5432, 'TCP')], workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);

const cluster = (yaml: string, name: string) => generate({ snapshot: snapshotWith(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).find((c) => c.name === name)?.body as Cluster;
const tcpProxy = (yaml: string) => {
  const l = generate({ snapshot: snapshotWith(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Listener).find((x) => x.name === 'outbound_tcp_5432')?.body as Listener;
  return l.filterChains?.[0].filters?.[0].typedConfig as Record<string, unknown>;
};

const dr = (host: string, trafficPolicy: string, subsets = '') => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${host}}
spec:
  host: ${host}
  trafficPolicy: ${trafficPolicy}
${subsets}`;

const REVIEWS = 'outbound|9080||reviews.default.svc.cluster.local';

describe('connectionPool.tcp.maxConnectionDuration and http.useClientProtocol', () => {
  it('puts max_connection_duration in the upstream HttpProtocolOptions common options, per port level', () => {
    const yaml = dr('reviews', '{connectionPool: {tcp: {maxConnectionDuration: 30s}}, portLevelSettings: [{port: {number: 9080}, connectionPool: {tcp: {maxConnectionDuration: 1.5s}}}]}');
    expect(cluster(yaml, REVIEWS).typedExtensionProtocolOptions?.[OPTIONS]).toEqual({
      '@type': TypeUrl.HttpProtocolOptions,
      commonHttpProtocolOptions: { maxConnectionDuration: { seconds: 1, nanos: 500_000_000 } },
    });
  });

  it('useClientProtocol: use_downstream_protocol_config (none when false)', () => {
    const yaml = dr('reviews', '{connectionPool: {http: {useClientProtocol: true}}}');
    expect(cluster(yaml, REVIEWS).typedExtensionProtocolOptions?.[OPTIONS]).toEqual({
      '@type': TypeUrl.HttpProtocolOptions,
      useDownstreamProtocolConfig: { httpProtocolOptions: {}, http2ProtocolOptions: {} },
    });
    expect(cluster(dr('reviews', '{connectionPool: {http: {useClientProtocol: false}}}'), REVIEWS).typedExtensionProtocolOptions).toBeUndefined();
  });
});

describe('proxyProtocol', () => {
  const wrapped = (version: string, inner: unknown) => ({
    name: 'envoy.transport_sockets.upstream_proxy_protocol',
    typedConfig: { '@type': TypeUrl.ProxyProtocolUpstreamTransport, config: { version }, transportSocket: inner },
  });

  it('wraps both auto mTLS transport socket matches (the header precedes the TLS handshake)', () => {
    const c = cluster(dr('reviews', '{proxyProtocol: {version: V2}}'), REVIEWS);
    expect(c.transportSocket).toBeUndefined();
    const [mtls, plain] = c.transportSocketMatches ?? [];
    expect(mtls.name).toBe('tlsMode-istio');
    expect(mtls.transportSocket).toMatchObject(wrapped('V2', { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': TypeUrl.UpstreamTlsContext } }));
    expect(plain.transportSocket).toEqual(wrapped('V2', { name: 'envoy.transport_sockets.raw_buffer', typedConfig: { '@type': TypeUrl.RawBuffer } }));
  });

  it('wraps plaintext (tls DISABLE) and TLS origination; V1 when no version is given; per subset', () => {
    const yaml = dr('reviews', '{tls: {mode: DISABLE}, proxyProtocol: {}}', '  subsets:\n  - {name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: SIMPLE}, proxyProtocol: {version: V2}}}\n  - {name: v2, labels: {version: v2}, trafficPolicy: {tls: {mode: SIMPLE}}}');
    expect(cluster(yaml, REVIEWS).transportSocket).toEqual(wrapped('V1', { name: 'envoy.transport_sockets.raw_buffer', typedConfig: { '@type': TypeUrl.RawBuffer } }));
    expect(cluster(yaml, 'outbound|9080|v1|reviews.default.svc.cluster.local').transportSocket).toMatchObject(wrapped('V2', { typedConfig: { '@type': TypeUrl.UpstreamTlsContext } }));
    // The subset inherits the top-level proxyProtocol (Istio's merge) around its own TLS.
    expect(cluster(yaml, 'outbound|9080|v2|reviews.default.svc.cluster.local').transportSocket).toMatchObject(wrapped('V1', { typedConfig: { '@type': TypeUrl.UpstreamTlsContext } }));
  });

  it('leaves clusters without proxyProtocol alone', () => {
    expect(cluster(dr('reviews', '{tls: {mode: DISABLE}}'), REVIEWS).transportSocket).toBeUndefined();
  });
});

describe('tunnel', () => {
  it('CONNECT to targetHost:targetPort on the outbound TCP proxy', () => {
    expect(tcpProxy(dr('db', '{tunnel: {protocol: CONNECT, targetHost: db.internal, targetPort: 5432}}'))).toMatchObject({
      cluster: 'outbound|5432||db.default.svc.cluster.local',
      tunnelingConfig: { hostname: 'db.internal:5432' },
    });
  });

  it('POST sets use_post; an IPv6 target is bracketed', () => {
    expect(tcpProxy(dr('db', '{tunnel: {protocol: POST, targetHost: "2001:db8::1", targetPort: 15432}}')).tunnelingConfig).toEqual({ hostname: '[2001:db8::1]:15432', usePost: true });
  });

  it('no tunnel without the setting', () => {
    expect(tcpProxy(dr('db', '{connectionPool: {tcp: {maxConnections: 3}}}')).tunnelingConfig).toBeUndefined();
  });
});

describe('at the gateway', () => {
  const GATEWAY_TCP = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 15432, name: tcp, protocol: TCP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge-db}
spec:
  hosts: ["*"]
  gateways: [edge]
  tcp:
  - route: [{destination: {host: db, port: {number: 5432}}}]
`;

  it('gateway clusters carry proxyProtocol and maxConnectionDuration; gateway TCP routes tunnel', () => {
    const yaml = `${GATEWAY_TCP}---${dr('db', '{tunnel: {targetHost: db.internal, targetPort: 5432}}')}---${dr('reviews', '{proxyProtocol: {version: V1}, connectionPool: {tcp: {maxConnectionDuration: 10s}}}')}`;
    const snapshot = snapshotWith(yaml);
    const c = generate({ snapshot, proxy: GATEWAY_PROXY }, TypeUrl.Cluster).find((x) => x.name === REVIEWS)?.body as Cluster;
    expect(c.transportSocketMatches?.map((m) => m.transportSocket?.name)).toEqual(['envoy.transport_sockets.upstream_proxy_protocol', 'envoy.transport_sockets.upstream_proxy_protocol']);
    expect(c.typedExtensionProtocolOptions?.[OPTIONS]).toMatchObject({ commonHttpProtocolOptions: { maxConnectionDuration: { seconds: 10 } } });
    const l = generate({ snapshot, proxy: GATEWAY_PROXY }, TypeUrl.Listener).find((x) => x.name === '0.0.0.0_15432')?.body as Listener;
    expect(l.filterChains?.[0].filters?.[0].typedConfig).toMatchObject({ cluster: 'outbound|5432||db.default.svc.cluster.local', tunnelingConfig: { hostname: 'db.internal:5432' } });
  });
});
