import { describe, expect, it } from 'vitest';
import { peerIdentity } from './peer-identity';

const tls = (subjectaltname?: string) => ({ transportSecurityType: 'ssl', sslPeerCertificate: { subjectaltname } });

describe('peerIdentity (the verified identity of an xDS stream)', () => {
  it('parses the one spiffe:// workload ID of the client certificate', () => {
    expect(peerIdentity(tls('DNS:gw.local, URI:spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway'))).toEqual({
      uri: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway',
      trustDomain: 'cluster.local',
      namespace: 'istio-system',
      serviceAccount: 'istio-ingressgateway',
    });
  });

  it('is absent on plaintext, without a certificate, with several SPIFFE IDs, or one that is not a workload ID', () => {
    expect(peerIdentity(undefined)).toBeUndefined();
    expect(peerIdentity({ sslPeerCertificate: { subjectaltname: 'URI:spiffe://cluster.local/ns/a/sa/b' } })).toBeUndefined();
    expect(peerIdentity(tls())).toBeUndefined();
    expect(peerIdentity(tls('URI:spiffe://cluster.local/ns/a/sa/b, URI:spiffe://cluster.local/ns/c/sa/d'))).toBeUndefined();
    expect(peerIdentity(tls('URI:spiffe://cluster.local/ns/istio-system'))).toBeUndefined();
  });
});
