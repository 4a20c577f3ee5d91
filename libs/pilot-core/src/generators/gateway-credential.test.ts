import { TypeUrl, type Cluster, type Listener } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, GATEWAY_PROXY, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { expectGolden } from '../testing/golden';
import { generate } from './registry';
import { credentialSecretResources, type CredentialMaterial } from './security/credential-secrets';
import { parseCredentialResource } from './security/credential-sds';

// Istio's "Secure Gateways" task: SIMPLE and MUTUAL servers naming a credential, and a
// DestinationRule originating MUTUAL TLS with a credential (Istio: egress gateway origination).
const YAML = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: mygateway, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [httpbin.example.com]
    tls: {mode: SIMPLE, credentialName: httpbin-credential}
  - port: {number: 443, name: https-mutual, protocol: HTTPS}
    hosts: [helloworld.example.com]
    tls: {mode: MUTUAL, credentialName: helloworld-credential, subjectAltNames: [client.example.com]}
  - port: {number: 8443, name: https-pair, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: OPTIONAL_MUTUAL, credentialNames: [pair-rsa, pair-ecdsa]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [mygateway]
  http:
  - route: [{destination: {host: productpage.default.svc.cluster.local, port: {number: 9080}}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings-origination}
spec:
  host: ratings
  trafficPolicy:
    tls: {mode: MUTUAL, credentialName: client-credential, sni: ratings.example.com, subjectAltNames: [ratings.example.com]}
`;

describe('credentialName at the gateway', () => {
  const snapshot = bookinfoSnapshot(YAML);
  const lds = generate({ snapshot, proxy: GATEWAY_PROXY }, TypeUrl.Listener);

  it('serves SIMPLE and MUTUAL servers from SDS secrets over ADS (golden)', () => {
    expectGolden(__dirname, 'gateway-credential-listeners', lds);
    const l443 = lds.find((l) => l.name === '0.0.0.0_443')?.body as Listener;
    expect(l443.filterChains?.map((c) => c.filterChainMatch?.serverNames)).toEqual([['httpbin.example.com'], ['helloworld.example.com']]);
    const [simple, mutual] = (l443.filterChains ?? []).map((c) => c.transportSocket?.typedConfig as Record<string, unknown>);
    expect(simple).toMatchObject({ commonTlsContext: { tlsCertificateSdsSecretConfigs: [{ name: 'kubernetes://httpbin-credential', sdsConfig: { ads: {}, resourceApiVersion: 'V3' } }] } });
    expect(simple.requireClientCertificate).toBeUndefined();
    expect(mutual).toMatchObject({
      requireClientCertificate: { value: true },
      commonTlsContext: {
        tlsCertificateSdsSecretConfigs: [{ name: 'kubernetes://helloworld-credential' }],
        combinedValidationContext: {
          defaultValidationContext: { matchTypedSubjectAltNames: [{ sanType: 'DNS', matcher: { exact: 'client.example.com' } }] },
          validationContextSdsSecretConfig: { name: 'kubernetes://helloworld-credential-cacert', sdsConfig: { ads: {} } },
        },
      },
    });
  });

  it('serves every credentialNames entry in one context (RSA + ECDSA); the client CA is the first one\'s', () => {
    const pair = (lds.find((l) => l.name === '0.0.0.0_8443')?.body as Listener).filterChains?.[0].transportSocket?.typedConfig as Record<string, unknown>;
    expect(pair).toMatchObject({
      commonTlsContext: {
        tlsCertificateSdsSecretConfigs: [{ name: 'kubernetes://pair-rsa' }, { name: 'kubernetes://pair-ecdsa' }],
        combinedValidationContext: { defaultValidationContext: {}, validationContextSdsSecretConfig: { name: 'kubernetes://pair-rsa-cacert' } },
      },
    });
    expect((pair.commonTlsContext as { tlsCertificateSdsSecretConfigs: unknown[] }).tlsCertificateSdsSecretConfigs).toHaveLength(2);
    expect(pair.requireClientCertificate).toBeUndefined();
  });

  it('originates TLS with a DestinationRule credential at the gateway only; sidecars keep file/system-root TLS', () => {
    const name = 'outbound|9080||ratings.default.svc.cluster.local';
    const gw = generate({ snapshot, proxy: GATEWAY_PROXY }, TypeUrl.Cluster).find((c) => c.name === name)?.body as Cluster;
    expect(gw.transportSocket?.typedConfig).toMatchObject({
      sni: 'ratings.example.com',
      commonTlsContext: {
        tlsCertificateSdsSecretConfigs: [{ name: 'kubernetes://client-credential', sdsConfig: { ads: {} } }],
        combinedValidationContext: { defaultValidationContext: { matchSubjectAltNames: [{ exact: 'ratings.example.com' }] }, validationContextSdsSecretConfig: { name: 'kubernetes://client-credential-cacert' } },
      },
    });
    const sc = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).find((c) => c.name === name)?.body as Cluster;
    expect(JSON.stringify(sc.transportSocket)).not.toContain('kubernetes://');
    expect(JSON.stringify(sc.transportSocket)).toContain('file-root:system');
  });
});

describe('credential SDS resources (SecretGen)', () => {
  const store = new Map<string, CredentialMaterial>([
    ['istio-system/httpbin-credential', { namespace: 'istio-system', name: 'httpbin-credential', certChain: 'CERT', privateKey: 'KEY', caCert: 'CA' }],
    ['istio-system/other-cacert', { namespace: 'istio-system', name: 'other-cacert', caCert: 'OTHER-CA' }],
    ['default/app-credential', { namespace: 'default', name: 'app-credential', certChain: 'C2', privateKey: 'K2' }],
  ]);
  const lookup = { get: (ns: string, n: string) => store.get(`${ns}/${n}`) };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it("parses Istio's resource names", () => {
    expect(parseCredentialResource('kubernetes://a-cacert', 'ns')).toEqual({ resourceName: 'kubernetes://a-cacert', namespace: 'ns', name: 'a-cacert', caOnly: true });
    expect(parseCredentialResource('kubernetes://other/a', 'ns')).toMatchObject({ namespace: 'other', name: 'a', caOnly: false });
    expect(parseCredentialResource('default', 'ns')).toBeUndefined();
    expect(parseCredentialResource('kubernetes://a/b/c', 'ns')).toBeUndefined();
  });

  /** The gateway as Pilot sees it on the mutual-TLS port: its certificate's SPIFFE ID. */
  const id = (namespace: string) => ({ uri: `spiffe://cluster.local/ns/${namespace}/sa/istio-ingressgateway`, trustDomain: 'cluster.local', namespace, serviceAccount: 'istio-ingressgateway' });
  const VERIFIED_GATEWAY = { ...GATEWAY_PROXY, peerIdentity: id('istio-system') };

  it("serves a gateway its namespace's certificates and CAs (a -cacert secret first, else the secret's ca.crt)", () => {
    const r = credentialSecretResources(lookup, VERIFIED_GATEWAY, ['kubernetes://other-cacert', 'kubernetes://httpbin-credential-cacert', 'kubernetes://httpbin-credential', 'kubernetes://other']);
    expect(r.resources).toEqual([
      { typeUrl: TypeUrl.Secret, name: 'kubernetes://httpbin-credential', body: { name: 'kubernetes://httpbin-credential', tlsCertificate: { certificateChain: { inlineBytes: b64('CERT') }, privateKey: { inlineBytes: b64('KEY') } } } },
      { typeUrl: TypeUrl.Secret, name: 'kubernetes://httpbin-credential-cacert', body: { name: 'kubernetes://httpbin-credential-cacert', validationContext: { trustedCa: { inlineBytes: b64('CA') } } } },
      { typeUrl: TypeUrl.Secret, name: 'kubernetes://other-cacert', body: { name: 'kubernetes://other-cacert', validationContext: { trustedCa: { inlineBytes: b64('OTHER-CA') } } } },
    ]);
    expect(r.missing).toEqual(['kubernetes://other']);
    expect(r.denied).toEqual([]);
  });

  it('denies other namespaces, sidecars, and gateways without a verified identity of the namespace', () => {
    const r = credentialSecretResources(lookup, VERIFIED_GATEWAY, ['kubernetes://default/app-credential', 'kubernetes://istio-system/httpbin-credential']);
    expect(r.resources.map((x) => x.name)).toEqual(['kubernetes://istio-system/httpbin-credential']);
    expect(r.denied).toEqual(['kubernetes://default/app-credential']);
    const sidecar = credentialSecretResources(lookup, PRODUCTPAGE_PROXY, ['kubernetes://app-credential']);
    expect(sidecar).toEqual({ resources: [], denied: ['kubernetes://app-credential'], missing: [] });
    // A node claiming istio-system on a plaintext stream, or with another namespace's certificate.
    // (A URI that is not a workload ID never becomes a peerIdentity: apps/pilot parses it at the boundary.)
    for (const peerIdentity of [undefined, id('default')]) {
      const claimed = credentialSecretResources(lookup, { ...GATEWAY_PROXY, peerIdentity }, ['kubernetes://httpbin-credential']);
      expect(claimed).toEqual({ resources: [], denied: ['kubernetes://httpbin-credential'], missing: [] });
    }
  });
});
