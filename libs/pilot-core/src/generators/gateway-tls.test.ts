import { type DownstreamTlsContext, TypeUrl, type Listener, type RouteConfiguration } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, GATEWAY_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const YAML = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https, protocol: HTTPS}
    hosts: ["bookinfo.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /certs/tls.crt, privateKey: /certs/tls.key}
  - port: {number: 9443, name: tls, protocol: TLS}
    hosts: ["*.example.org"]
    tls: {mode: PASSTHROUGH}
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["bookinfo.example.com"]
    tls: {httpsRedirect: true}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["bookinfo.example.com"]
  gateways: [gw]
  http:
  - route: [{destination: {host: productpage, port: {number: 9080}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: passthrough}
spec:
  hosts: ["db.example.org"]
  gateways: [gw]
  tls:
  - match: [{port: 9443, sniHosts: ["db.example.org"]}]
    route: [{destination: {host: ratings, port: {number: 9080}}}]
`;

describe('gateway TLS servers', () => {
  const snapshot = bookinfoSnapshot(YAML);
  const lds = generate({ snapshot, proxy: GATEWAY_PROXY }, TypeUrl.Listener);
  const byName = (n: string) => lds.find((l) => l.name === n)?.body as Listener;

  it('terminates HTTPS with the certificate files and routes through its own route config', () => {
    const l = byName('0.0.0.0_8443');
    const chain = l.filterChains?.[0];
    expect(chain?.filterChainMatch?.serverNames).toEqual(['bookinfo.example.com']);
    expect(JSON.stringify(chain?.transportSocket)).toContain('/certs/tls.crt');
    const rdsName = 'https.8443.0.gw.default';
    expect(JSON.stringify(chain?.filters)).toContain(rdsName);
    const rc = generate({ snapshot, proxy: GATEWAY_PROXY, names: [rdsName] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    expect(rc.virtualHosts?.[0].domains).toEqual(['bookinfo.example.com', 'bookinfo.example.com:8443']);
  });

  it('passes TLS through by SNI without terminating it', () => {
    const l = byName('0.0.0.0_9443');
    expect(l.listenerFilters?.[0].name).toBe('envoy.filters.listener.tls_inspector');
    expect(l.filterChains?.[0].filterChainMatch?.serverNames).toEqual(['db.example.org']);
    expect(l.filterChains?.[0].transportSocket).toBeUndefined();
    expect(l.filterChains?.[0].filters?.[0].typedConfig).toMatchObject({ '@type': TypeUrl.TcpProxy, cluster: 'outbound|9080||ratings.default.svc.cluster.local' });
  });

  it('redirects plain HTTP to HTTPS when httpsRedirect is set', () => {
    const rc = generate({ snapshot, proxy: GATEWAY_PROXY, names: ['http.8080'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    expect(rc.virtualHosts?.[0].requireTls).toBe('ALL');
  });
});

// Client verification from files (caCertificates) and several certificates in one context.
const MUTUAL_YAML = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: mtls}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https-mutual, protocol: HTTPS}
    hosts: ["mutual.example.com"]
    tls:
      mode: MUTUAL
      serverCertificate: /certs/tls.crt
      privateKey: /certs/tls.key
      caCertificates: /certs/ca.crt
      caCrl: /certs/ca.crl
      subjectAltNames: [client.example.com, "spiffe://cluster.local/ns/default/sa/client", 10.0.0.1, ops@example.com]
      verifyCertificateSpki: ["NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A="]
      verifyCertificateHash: ["df6ff72fe9116521268f6f2dd4966f51df479883fe7037b39f75916ac3049d1a"]
  - port: {number: 9443, name: https-optional, protocol: HTTPS}
    hosts: ["optional.example.com"]
    tls:
      mode: OPTIONAL_MUTUAL
      caCertificates: /certs/ca.crt
      tlsCertificates:
      - {serverCertificate: /certs/rsa.crt, privateKey: /certs/rsa.key}
      - {serverCertificate: /certs/ecdsa.crt, privateKey: /certs/ecdsa.key}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["mutual.example.com", "optional.example.com"]
  gateways: [mtls]
  http:
  - route: [{destination: {host: productpage, port: {number: 9080}}}]
`;

describe('gateway client certificates from files (caCertificates) and tlsCertificates', () => {
  const lds = generate({ snapshot: bookinfoSnapshot(MUTUAL_YAML), proxy: GATEWAY_PROXY }, TypeUrl.Listener);
  const tlsOf = (n: string) => (lds.find((l) => l.name === n)?.body as Listener).filterChains?.[0].transportSocket?.typedConfig as Record<string, unknown>;

  it('MUTUAL: requires a client certificate verified against the CA file and CRL, restricted by typed SANs and pins', () => {
    expect(tlsOf('0.0.0.0_8443')).toEqual({
      '@type': TypeUrl.DownstreamTlsContext,
      requireClientCertificate: { value: true },
      commonTlsContext: {
        tlsCertificates: [{ certificateChain: { filename: '/certs/tls.crt' }, privateKey: { filename: '/certs/tls.key' } }],
        validationContext: {
          trustedCa: { filename: '/certs/ca.crt' },
          matchTypedSubjectAltNames: [
            { sanType: 'DNS', matcher: { exact: 'client.example.com' } },
            { sanType: 'URI', matcher: { exact: 'spiffe://cluster.local/ns/default/sa/client' } },
            { sanType: 'IP_ADDRESS', matcher: { exact: '10.0.0.1' } },
            { sanType: 'EMAIL', matcher: { exact: 'ops@example.com' } },
          ],
          verifyCertificateSpki: ['NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A='],
          verifyCertificateHash: ['df6ff72fe9116521268f6f2dd4966f51df479883fe7037b39f75916ac3049d1a'],
          crl: { filename: '/certs/ca.crl' },
        },
        alpnProtocols: ['h2', 'http/1.1'],
      },
    });
  });

  it('OPTIONAL_MUTUAL: verifies a client certificate when presented and serves both tlsCertificates in one context', () => {
    const ctx = tlsOf('0.0.0.0_9443');
    expect(ctx.requireClientCertificate).toBeUndefined();
    expect(ctx.commonTlsContext).toEqual({
      tlsCertificates: [
        { certificateChain: { filename: '/certs/rsa.crt' }, privateKey: { filename: '/certs/rsa.key' } },
        { certificateChain: { filename: '/certs/ecdsa.crt' }, privateKey: { filename: '/certs/ecdsa.key' } },
      ],
      validationContext: { trustedCa: { filename: '/certs/ca.crt' } },
      alpnProtocols: ['h2', 'http/1.1'],
    });
  });

  it('SIMPLE ignores caCertificates (no client verification)', () => {
    const simple = MUTUAL_YAML.replace('mode: MUTUAL', 'mode: SIMPLE').replace(/\s+caCrl: .*\n/, '\n');
    const l = generate({ snapshot: bookinfoSnapshot(simple), proxy: GATEWAY_PROXY }, TypeUrl.Listener).find((x) => x.name === '0.0.0.0_8443')?.body as Listener;
    const ctx = l.filterChains?.[0].transportSocket?.typedConfig as DownstreamTlsContext;
    expect(ctx.commonTlsContext?.tlsCertificates).toHaveLength(1);
    expect(ctx.commonTlsContext?.validationContext).toBeUndefined();
    expect(ctx.requireClientCertificate).toBeUndefined();
  });

  it('applies minProtocolVersion, maxProtocolVersion and the valid cipherSuites as tls_params', () => {
    const yaml = MUTUAL_YAML.replace('      mode: OPTIONAL_MUTUAL\n', '      mode: OPTIONAL_MUTUAL\n      minProtocolVersion: TLSV1_2\n      maxProtocolVersion: TLSV1_3\n      cipherSuites: [ECDHE-ECDSA-AES128-GCM-SHA256, NOT-A-CIPHER, ECDHE-ECDSA-AES128-GCM-SHA256, AES256-GCM-SHA384]\n');
    expect(yaml).toContain('NOT-A-CIPHER');
    const l = generate({ snapshot: bookinfoSnapshot(yaml), proxy: GATEWAY_PROXY }, TypeUrl.Listener).find((x) => x.name === '0.0.0.0_9443')?.body as Listener;
    const ctx = l.filterChains?.[0].transportSocket?.typedConfig as DownstreamTlsContext;
    expect(ctx.commonTlsContext?.tlsParams).toEqual({ tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3', cipherSuites: ['ECDHE-ECDSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384'] });
    expect(tlsOf('0.0.0.0_9443').commonTlsContext).not.toHaveProperty('tlsParams');
  });
});
