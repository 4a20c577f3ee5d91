import type { ClientTLSSettings } from '@mizzen/config-api';
import { type CertificateValidationContext, type CommonTlsContext, type TransportSocket, TypeUrl } from '@mizzen/xds-types';
import { credentialSdsSecret } from './credential-sds';
import { SDS_SYSTEM_ROOT_SECRET, sdsSecret, tlsTransportSocket } from './tls-context';

/**
 * DestinationRule `tls.mode: SIMPLE | MUTUAL` (TLS origination to a server outside the mesh's
 * identity system), after Istio `constructUpstreamTLS`:
 * - SNI: `tls.sni`, else the service host;
 * - at a gateway with `credentialName` (Istio `ApplyCustomSDSToClientCommonTLSContext`, which
 *   Istio applies to router proxies only): the server is verified against the SDS secret
 *   `kubernetes://<name>-cacert` plus `subjectAltNames`, and MUTUAL presents
 *   `kubernetes://<name>`, both fetched from Pilot over ADS;
 * - otherwise the files: server verification with `caCertificates` as `trustedCa`, else the host's
 *   system roots (Istio's SDS resource `file-root:system`, served by the agent); `subjectAltNames`
 *   as exact SAN matchers; `caCrl` as the CRL; none at all with `insecureSkipVerify`; MUTUAL
 *   presents the client certificate and key files. A sidecar ignores `credentialName` (Galley warns);
 * - TLS 1.2 to 1.3; ALPN `h2` for HTTP/2 clusters.
 */
export function clientTlsTransportSocket(tls: ClientTLSSettings, host: string, h2: boolean, gateway = false): TransportSocket {
  const common: CommonTlsContext = { tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' } };
  const sans: CertificateValidationContext = tls.subjectAltNames?.length ? { matchSubjectAltNames: tls.subjectAltNames.map((exact) => ({ exact })) } : {};
  if (gateway && tls.credentialName) {
    if (tls.mode === 'MUTUAL') common.tlsCertificateSdsSecretConfigs = [credentialSdsSecret(tls.credentialName)];
    common.combinedValidationContext = { defaultValidationContext: sans, validationContextSdsSecretConfig: credentialSdsSecret(tls.credentialName, true) };
  } else {
    if (tls.mode === 'MUTUAL' && tls.clientCertificate && tls.privateKey) {
      common.tlsCertificates = [{ certificateChain: { filename: tls.clientCertificate }, privateKey: { filename: tls.privateKey } }];
    }
    if (!tls.insecureSkipVerify) {
      const checks: CertificateValidationContext = { ...sans, ...(tls.caCrl ? { crl: { filename: tls.caCrl } } : {}) };
      if (tls.caCertificates) common.validationContext = { trustedCa: { filename: tls.caCertificates }, ...checks };
      else common.combinedValidationContext = { defaultValidationContext: checks, validationContextSdsSecretConfig: sdsSecret(SDS_SYSTEM_ROOT_SECRET) };
    }
  }
  if (h2) common.alpnProtocols = ['h2'];
  return tlsTransportSocket({ '@type': TypeUrl.UpstreamTlsContext, commonTlsContext: common, sni: tls.sni || host });
}
