import { type DownstreamTlsContext, type FilterChain, type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../consistency';
import { bookinfoSnapshot, GATEWAY_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

/** A Gateway whose first server is `protocol: TLS` on 9443 with the given tls block, then `more` servers. */
const gateway = (tls: string, hosts = '["db.example.org"]', more = '') => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 9443, name: tls-db, protocol: TLS}
    hosts: ${hosts}
    tls: ${tls}
${more}`;

const tcpVs = (hosts = '["db.example.org"]', port = 9443) => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db}
spec:
  hosts: ${hosts}
  gateways: [gw]
  tcp:
  - match: [{port: ${port}}]
    route: [{destination: {host: ratings, port: {number: 9080}}}]
`;

const FILES = 'serverCertificate: /certs/db.crt, privateKey: /certs/db.key';

function listener9443(yaml: string): { listener: Listener | undefined; problems: unknown[] } {
  const ctx = { snapshot: bookinfoSnapshot(yaml), proxy: GATEWAY_PROXY };
  const lds = generate(ctx, TypeUrl.Listener);
  const all = [...lds, ...generate(ctx, TypeUrl.RouteConfiguration), ...generate(ctx, TypeUrl.Cluster)];
  return { listener: lds.find((l) => l.name === '0.0.0.0_9443')?.body as Listener | undefined, problems: checkConsistency(all) };
}

const tlsContext = (c: FilterChain | undefined): DownstreamTlsContext | undefined => c?.transportSocket?.typedConfig as DownstreamTlsContext | undefined;
const tcpProxy = (c: FilterChain | undefined) => c?.filters?.find((f) => f.name === 'envoy.filters.network.tcp_proxy')?.typedConfig as { cluster?: string } | undefined;

describe('gateway TLS servers that terminate TLS (protocol TLS, SIMPLE / MUTUAL / OPTIONAL_MUTUAL)', () => {
  it('SIMPLE: terminates with the certificate files, matches the server hosts by SNI, and tcp_proxies to the tcp route', () => {
    const { listener, problems } = listener9443(gateway(`{mode: SIMPLE, ${FILES}}`) + tcpVs());
    expect(listener?.filterChains).toHaveLength(1);
    const chain = listener?.filterChains?.[0];
    expect(chain?.filterChainMatch?.serverNames).toEqual(['db.example.org']);
    const ctx = tlsContext(chain);
    expect(ctx?.commonTlsContext?.tlsCertificates).toEqual([{ certificateChain: { filename: '/certs/db.crt' }, privateKey: { filename: '/certs/db.key' } }]);
    expect(ctx?.requireClientCertificate).toBeUndefined();
    // Istio's BuildListenerTLSContext keeps ALPN h2/http1.1 for a terminating TCP server.
    expect(ctx?.commonTlsContext?.alpnProtocols).toEqual(['h2', 'http/1.1']);
    expect(tcpProxy(chain)?.cluster).toBe('outbound|9080||ratings.default.svc.cluster.local');
    expect(listener?.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    expect(problems).toEqual([]);
  });

  it('MUTUAL with files requires and verifies a client certificate against caCertificates', () => {
    const { listener } = listener9443(gateway(`{mode: MUTUAL, ${FILES}, caCertificates: /certs/ca.crt, subjectAltNames: [client.example.org]}`) + tcpVs());
    const ctx = tlsContext(listener?.filterChains?.[0]);
    expect(ctx?.requireClientCertificate).toEqual({ value: true });
    expect(ctx?.commonTlsContext?.validationContext?.trustedCa).toEqual({ filename: '/certs/ca.crt' });
    expect(ctx?.commonTlsContext?.validationContext?.matchTypedSubjectAltNames).toEqual([{ sanType: 'DNS', matcher: { exact: 'client.example.org' } }]);
  });

  it('OPTIONAL_MUTUAL with a credentialName reads the certificate and CA over SDS without requiring a client certificate', () => {
    const { listener } = listener9443(gateway('{mode: OPTIONAL_MUTUAL, credentialName: db-credential}') + tcpVs());
    const ctx = tlsContext(listener?.filterChains?.[0]);
    expect(ctx?.requireClientCertificate).toBeUndefined();
    expect(ctx?.commonTlsContext?.tlsCertificateSdsSecretConfigs?.map((s) => s.name)).toEqual(['kubernetes://db-credential']);
    expect(ctx?.commonTlsContext?.combinedValidationContext?.validationContextSdsSecretConfig?.name).toBe('kubernetes://db-credential-cacert');
    expect(tcpProxy(listener?.filterChains?.[0])?.cluster).toBe('outbound|9080||ratings.default.svc.cluster.local');
  });

  it('a `*` host matches every server name', () => {
    const { listener } = listener9443(gateway(`{mode: SIMPLE, ${FILES}}`, '["*"]') + tcpVs('["*"]'));
    expect(listener?.filterChains?.[0].filterChainMatch?.serverNames).toBeUndefined();
    expect(tlsContext(listener?.filterChains?.[0])).toBeDefined();
  });

  it('ignores `tls` routes (as Istio): a server with only tls routes bound gets no listener', () => {
    const tlsOnly = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db}
spec:
  hosts: ["db.example.org"]
  gateways: [gw]
  tls:
  - match: [{port: 9443, sniHosts: ["db.example.org"]}]
    route: [{destination: {host: ratings, port: {number: 9080}}}]
`;
    expect(listener9443(gateway(`{mode: SIMPLE, ${FILES}}`) + tlsOnly).listener).toBeUndefined();
  });

  it('uses only VirtualServices whose hosts meet the server hosts, and tcp routes matching the port (Istio pickMatchingGatewayHosts, l4MultiMatch)', () => {
    expect(listener9443(gateway(`{mode: SIMPLE, ${FILES}}`) + tcpVs('["other.example.org"]')).listener).toBeUndefined();
    expect(listener9443(gateway(`{mode: SIMPLE, ${FILES}}`) + tcpVs('["db.example.org"]', 9999)).listener).toBeUndefined();
    expect(listener9443(gateway(`{mode: SIMPLE, ${FILES}}`, '["*.example.org"]') + tcpVs('["db.example.org"]')).listener?.filterChains?.[0].filterChainMatch?.serverNames).toEqual(['*.example.org']);
  });

  it('PASSTHROUGH servers on the same port still forward by SNI without terminating; a passthrough route cannot take a terminating server name', () => {
    const passthrough = `  - port: {number: 9443, name: tls-pass, protocol: TLS}
    hosts: ["*.example.org"]
    tls: {mode: PASSTHROUGH}`;
    const yaml = `${gateway(`{mode: SIMPLE, ${FILES}}`, '["db.example.org"]', passthrough)}
${tcpVs()}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: pass}
spec:
  hosts: ["*.example.org"]
  gateways: [gw]
  tls:
  - match: [{port: 9443, sniHosts: ["db.example.org", "pass.example.org"]}]
    route: [{destination: {host: details, port: {number: 9080}}}]
`;
    const { listener, problems } = listener9443(yaml);
    const chains = listener?.filterChains ?? [];
    expect(chains.map((c) => [c.filterChainMatch?.serverNames, c.transportSocket !== undefined, tcpProxy(c)?.cluster])).toEqual([
      [['db.example.org'], true, 'outbound|9080||ratings.default.svc.cluster.local'],
      [['pass.example.org'], false, 'outbound|9080||details.default.svc.cluster.local'],
    ]);
    expect(problems).toEqual([]);
  });
});
