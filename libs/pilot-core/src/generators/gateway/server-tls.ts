import type { ServerTLSSettings } from '@mizzen/config-api';
import { type CommonTlsContext, type TransportSocket, TypeUrl } from '@mizzen/xds-types';
import { credentialSdsSecret } from '../security/credential-sds';
import { ALPN_DOWNSTREAM_HTTP, tlsTransportSocket } from '../security/tls-context';

/**
 * The credential a gateway server names: `credentialName`, else the first of `credentialNames`
 * (the proxy holds one certificate per TLS context, so an RSA + ECDSA pair is served as its first).
 */
export function serverCredential(tls: ServerTLSSettings | undefined): string | undefined {
  return tls?.credentialName || tls?.credentialNames?.[0] || undefined;
}

/** Whether an HTTPS server has a certificate source Mizzen serves: a credential, or certificate files. */
export function hasServerCertificate(tls: ServerTLSSettings | undefined): boolean {
  return !!serverCredential(tls) || (!!tls?.serverCertificate && !!tls.privateKey);
}

/**
 * The transport socket (a DownstreamTlsContext) of an HTTPS gateway server, as Istio's `buildGatewayListenerTLSContext`:
 * - `credentialName`: the certificate is the SDS secret `kubernetes://<name>` over ADS; with
 *   MUTUAL / OPTIONAL_MUTUAL the client CA is `kubernetes://<name>-cacert` in a combined
 *   validation context whose default part carries `subjectAltNames` (Istio
 *   `ApplyCredentialSDSToServerCommonTLSContext`);
 * - otherwise the `serverCertificate` / `privateKey` files.
 * MUTUAL requires a client certificate; OPTIONAL_MUTUAL verifies one when presented.
 * ALPN `h2`, `http/1.1`.
 * https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export function gatewayServerTransportSocket(tls: ServerTLSSettings): TransportSocket {
  const credential = serverCredential(tls);
  const common: CommonTlsContext = credential
    ? { tlsCertificateSdsSecretConfigs: [credentialSdsSecret(credential)] }
    : { tlsCertificates: [{ certificateChain: { filename: tls.serverCertificate }, privateKey: { filename: tls.privateKey } }] };
  const mutual = tls.mode === 'MUTUAL' || tls.mode === 'OPTIONAL_MUTUAL';
  if (credential && mutual) {
    common.combinedValidationContext = {
      defaultValidationContext: tls.subjectAltNames?.length ? { matchSubjectAltNames: tls.subjectAltNames.map((exact) => ({ exact })) } : {},
      validationContextSdsSecretConfig: credentialSdsSecret(credential, true),
    };
  }
  common.alpnProtocols = [...ALPN_DOWNSTREAM_HTTP];
  return tlsTransportSocket({ '@type': TypeUrl.DownstreamTlsContext, commonTlsContext: common, ...(credential && tls.mode === 'MUTUAL' ? { requireClientCertificate: { value: true } } : {}) });
}
