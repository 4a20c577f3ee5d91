import type { Diagnostics } from '../../core/diagnostics';
import type { ClientTLSSettings } from './types';

/**
 * Istio `ValidateTLS` for upstream (client) TLS: MUTUAL needs a client certificate and key unless a
 * credentialName supplies them; a credentialName excludes file certificates; insecureSkipVerify
 * excludes the CA/SAN settings it would ignore.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export function validateClientTLS(d: Diagnostics, path: string, tls: ClientTLSSettings | undefined): void {
  if (!tls) return;
  if (tls.insecureSkipVerify) {
    if (tls.mode === 'SIMPLE' && (tls.caCertificates || tls.credentialName || tls.subjectAltNames)) {
      d.error(path, 'cannot specify caCertificates, credentialName or subjectAltNames when insecureSkipVerify is set true');
    }
    if (tls.mode === 'MUTUAL' && (tls.caCertificates || tls.subjectAltNames)) {
      d.error(path, 'cannot specify caCertificates or subjectAltNames when insecureSkipVerify is set true');
    }
  }
  if ((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && tls.credentialName) {
    if (tls.clientCertificate || tls.caCertificates || tls.privateKey || tls.caCrl) {
      d.error(path, 'cannot specify client certificates or CA certificate or CA CRL if credentialName is set');
    }
    return;
  }
  if (tls.mode === 'MUTUAL') {
    if (!tls.clientCertificate) d.error(`${path}.clientCertificate`, 'client certificate required for mutual tls');
    if (!tls.privateKey) d.error(`${path}.privateKey`, 'private key required for mutual tls');
  }
}
