import type { ClientTLSSettings } from '@mizzen/config-api';
import { type CertificateValidationContext, type CommonTlsContext, type TransportSocket, TypeUrl } from '@mizzen/xds-types';
import { SDS_SYSTEM_ROOT_SECRET, sdsSecret, tlsTransportSocket } from './tls-context';

/**
 * DestinationRule `tls.mode: SIMPLE | MUTUAL` (TLS origination to a server outside the mesh's
 * identity system), after Istio `constructUpstreamTLS`, with the files given to Envoy directly:
 * - SNI: `tls.sni`, else the service host;
 * - server verification: `caCertificates` as `trustedCa`, else the host's system roots (Istio's SDS
 *   resource `file-root:system`, served by the agent); `subjectAltNames` as exact SAN matchers;
 *   `caCrl` as the CRL; none at all with `insecureSkipVerify`;
 * - MUTUAL: the client certificate and key files;
 * - TLS 1.2 to 1.3; ALPN `h2` for HTTP/2 clusters.
 * `credentialName` (a Kubernetes secret) is not resolved: Galley warns that it is unsupported.
 */
export function clientTlsTransportSocket(tls: ClientTLSSettings, host: string, h2: boolean): TransportSocket {
  const common: CommonTlsContext = { tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' } };
  if (tls.mode === 'MUTUAL' && tls.clientCertificate && tls.privateKey) {
    common.tlsCertificates = [{ certificateChain: { filename: tls.clientCertificate }, privateKey: { filename: tls.privateKey } }];
  }
  if (!tls.insecureSkipVerify) {
    const checks: CertificateValidationContext = {
      ...(tls.subjectAltNames?.length ? { matchSubjectAltNames: tls.subjectAltNames.map((exact) => ({ exact })) } : {}),
      ...(tls.caCrl ? { crl: { filename: tls.caCrl } } : {}),
    };
    if (tls.caCertificates) common.validationContext = { trustedCa: { filename: tls.caCertificates }, ...checks };
    else common.combinedValidationContext = { defaultValidationContext: checks, validationContextSdsSecretConfig: sdsSecret(SDS_SYSTEM_ROOT_SECRET) };
  }
  if (h2) common.alpnProtocols = ['h2'];
  return tlsTransportSocket({ '@type': TypeUrl.UpstreamTlsContext, commonTlsContext: common, sni: tls.sni || host });
}
