import { type Cluster, type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const SIDECAR = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage-ingress}
spec:
  workloadSelector: {labels: {app: productpage}}
  ingress:
  - port: {number: 9090, protocol: HTTP, name: http-admin}
    defaultEndpoint: 127.0.0.1:19090
  - port: {number: 5432, protocol: TCP, name: tcp-db}
    defaultEndpoint: 0.0.0.0:15432
`;

const ip = PRODUCTPAGE_PROXY.ip;
const inbound = (yaml: string) => {
  const snapshot = bookinfoSnapshot(yaml);
  const listeners = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Listener).map((r) => r.body as Listener).filter((l) => l.trafficDirection === 'INBOUND');
  const clusters = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).map((r) => r.body as Cluster).filter((c) => c.name.startsWith('inbound|'));
  return { listeners: listeners.map((l) => l.name), clusters: Object.fromEntries(clusters.map((c) => [c.name, c.loadAssignment?.endpoints?.[0].lbEndpoints?.[0].endpoint?.address?.socketAddress])) };
};

describe('Sidecar ingress listeners', () => {
  it("replace the workload's declared inbound ports; a loopback defaultEndpoint means the workload itself", () => {
    expect(inbound(SIDECAR)).toEqual({
      listeners: [`${ip}_5432`, `${ip}_9090`],
      clusters: { 'inbound|5432||': { address: ip, portValue: 15432 }, 'inbound|9090||': { address: ip, portValue: 19090 } },
    });
  });

  it('leave the declared ports alone when no Sidecar with ingress selects the workload', () => {
    const declared = inbound('');
    expect(declared.listeners).toEqual([`${ip}_9080`]);
    expect(Object.keys(declared.clusters)).toEqual(['inbound|9080||']);
  });
});

// Istio's Sidecar ingress `tls`: the sidecar terminates TLS from outside the mesh with files.
const INGRESS_TLS = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage-ingress-tls}
spec:
  workloadSelector: {labels: {app: productpage}}
  ingress:
  - port: {number: 9443, protocol: HTTPS, name: https-ext}
    defaultEndpoint: 127.0.0.1:9080
    tls: {mode: SIMPLE, serverCertificate: /etc/certs/tls.crt, privateKey: /etc/certs/tls.key}
  - port: {number: 9444, protocol: TLS, name: tls-ext}
    defaultEndpoint: 127.0.0.1:9081
    tls: {mode: MUTUAL, serverCertificate: /etc/certs/tls.crt, privateKey: /etc/certs/tls.key, caCertificates: /etc/certs/ca.crt}
  - port: {number: 9080, protocol: HTTP, name: http}
    defaultEndpoint: 127.0.0.1:9080
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict}
spec:
  mtls: {mode: STRICT}
`;

describe('Sidecar ingress tls', () => {
  const listeners = generate({ snapshot: bookinfoSnapshot(INGRESS_TLS), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Listener).map((r) => r.body as Listener);
  const byPort = (port: number) => listeners.find((l) => l.name === `${ip}_${port}`) as Listener;
  const chainJson = (port: number) => JSON.stringify(byPort(port).filterChains);

  it('replaces the mesh mTLS chain with TLS terminated by the listener files; HTTPS is served as HTTP after termination', () => {
    const l = byPort(9443);
    expect(l.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    expect(l.filterChains).toHaveLength(1);
    const [chain] = l.filterChains ?? [];
    expect(chain.filterChainMatch).toEqual({ transportProtocol: 'tls' });
    expect(chain.transportSocket?.typedConfig).toEqual({
      '@type': TypeUrl.DownstreamTlsContext,
      commonTlsContext: { tlsCertificates: [{ certificateChain: { filename: '/etc/certs/tls.crt' }, privateKey: { filename: '/etc/certs/tls.key' } }], alpnProtocols: ['h2', 'http/1.1'] },
    });
    expect(chain.filters?.[0].typedConfig?.['@type']).toBe(TypeUrl.HttpConnectionManager);
    expect(chainJson(9443)).not.toContain('"ROOTCA"');
  });

  it('MUTUAL on a TLS port: client CA file, required client certificate, tcp_proxy after termination, no ALPN', () => {
    const ctx = byPort(9444).filterChains?.[0].transportSocket?.typedConfig as Record<string, unknown>;
    expect(ctx).toMatchObject({ requireClientCertificate: { value: true }, commonTlsContext: { validationContext: { trustedCa: { filename: '/etc/certs/ca.crt' } } } });
    expect((ctx.commonTlsContext as Record<string, unknown>).alpnProtocols).toBeUndefined();
    expect(byPort(9444).filterChains?.[0].filters?.at(-1)?.typedConfig?.['@type']).toBe(TypeUrl.TcpProxy);
  });

  it('leaves ports without tls to PeerAuthentication (STRICT: the mesh mTLS chain)', () => {
    expect(chainJson(9080)).toContain('"ROOTCA"');
    expect(chainJson(9080)).toContain('"default"');
  });
});
