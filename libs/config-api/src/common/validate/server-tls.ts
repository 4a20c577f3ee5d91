import type { Diagnostics } from '../../core/diagnostics';
import type { ServerTLSSettings } from '../messages/server-tls';

/** Cipher suites Envoy (BoringSSL) accepts; Istio ignores others with a warning (`security.IsValidCipherSuite`). */
const VALID_CIPHER_SUITES = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-PSK-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-PSK-AES128-CBC-SHA',
  'AES128-GCM-SHA256',
  'AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-PSK-AES256-CBC-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA',
  'PSK-AES128-CBC-SHA',
  'PSK-AES256-CBC-SHA',
  'DES-CBC3-SHA',
]);

/** Istio `security.IsValidCipherSuite`: a cipher suite name Envoy accepts. */
export function isValidCipherSuite(name: string): boolean {
  return VALID_CIPHER_SUITES.has(name);
}

/**
 * Istio `validateTLSOptions` for server-side TLS: ISTIO_MUTUAL takes no certificates; SIMPLE and
 * MUTUAL need a certificate source (credentialName(s), serverCertificate+privateKey or
 * tlsCertificates), only one of them, and MUTUAL needs a client CA; CRLs need file certificates
 * and mutual TLS. https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export function validateServerTLS(d: Diagnostics, path: string, tls: ServerTLSSettings | undefined): void {
  if (!tls) return;
  const mode = tls.mode ?? 'PASSTHROUGH';
  checkCiphers(d, path, tls);
  if (mode === 'ISTIO_MUTUAL') {
    for (const f of ['serverCertificate', 'privateKey', 'caCertificates', 'credentialName'] as const) {
      if (tls[f]) d.error(`${path}.${f}`, `ISTIO_MUTUAL TLS cannot have associated ${f}`);
    }
    if (tls.tlsCertificates?.length) d.error(`${path}.tlsCertificates`, 'ISTIO_MUTUAL TLS cannot have associated tlsCertificates');
    if (tls.credentialNames?.length) d.error(`${path}.credentialNames`, 'ISTIO_MUTUAL TLS cannot have associated credentialNames');
    return;
  }
  const hasCredential = Boolean(tls.credentialName) || Boolean(tls.credentialNames?.length);
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    if (tls.caCrl || tls.serverCertificate || tls.privateKey || tls.caCertificates || tls.tlsCertificates?.length || hasCredential) {
      d.warn(path, `${mode} mode does not use certificates, they will be ignored`);
    }
  }
  const sources = [Boolean(tls.serverCertificate && tls.privateKey), Boolean(tls.credentialName), Boolean(tls.credentialNames?.length), Boolean(tls.tlsCertificates?.length)];
  if (sources.filter(Boolean).length > 1) {
    d.error(path, 'only one of credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates should be specified');
  }
  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  // With a credentialName the certificates (and CA) are fetched from a secret: nothing else is required.
  if (terminating && !hasCredential) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (mode !== 'SIMPLE' && !tls.caCertificates) d.error(`${path}.caCertificates`, `${prefix} requires a client CA bundle`);
    if (tls.tlsCertificates?.length) {
      tls.tlsCertificates.forEach((c, i) => {
        if (!c.serverCertificate) d.error(`${path}.tlsCertificates[${i}].serverCertificate`, `${prefix} requires a server certificate`);
        if (!c.privateKey) d.error(`${path}.tlsCertificates[${i}].privateKey`, `${prefix} requires a private key`);
      });
    } else {
      if (!tls.serverCertificate) d.error(`${path}.serverCertificate`, `${prefix} requires a server certificate (or credentialName)`);
      if (!tls.privateKey) d.error(`${path}.privateKey`, `${prefix} requires a private key (or credentialName)`);
    }
  }
  if (tls.caCrl) {
    if (tls.credentialName) d.error(`${path}.caCrl`, 'CRL is not supported with credentialName. CRL has to be specified in the credential');
    if (mode === 'SIMPLE') d.error(`${path}.caCrl`, 'CRL is not supported with SIMPLE TLS');
  }
  (tls.tlsCertificates ?? []).forEach((c, i) => {
    // Istio verifies clients against the top-level caCertificates only (one CA set per Envoy TLS context).
    if (c.caCertificates) d.warn(`${path}.tlsCertificates[${i}].caCertificates`, 'ignored: client certificates are verified against tls.caCertificates');
  });
  checkPins(d, path, tls);
}

/**
 * Envoy's constraints on the pins (it rejects the listener otherwise): `verifyCertificateSpki`
 * entries are base64 SHA-256 digests (32 bytes), `verifyCertificateHash` entries hex SHA-256
 * digests, colons between bytes allowed.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/common.proto#extensions-transport-sockets-tls-v3-certificatevalidationcontext
 */
function checkPins(d: Diagnostics, path: string, tls: ServerTLSSettings): void {
  (tls.verifyCertificateSpki ?? []).forEach((v, i) => {
    if (!/^[A-Za-z0-9+/]{43}=$/.test(v)) d.error(`${path}.verifyCertificateSpki[${i}]`, `${JSON.stringify(v)} is not a base64-encoded SHA-256 digest (44 characters)`);
  });
  (tls.verifyCertificateHash ?? []).forEach((v, i) => {
    if (!/^[0-9a-fA-F]{64}$/.test(v) && !/^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){31}$/.test(v)) d.error(`${path}.verifyCertificateHash[${i}]`, `${JSON.stringify(v)} is not a hex-encoded SHA-256 digest (64 hex digits, optionally colon-separated)`);
  });
}

function checkCiphers(d: Diagnostics, path: string, tls: ServerTLSSettings): void {
  if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && !tls.cipherSuites?.length) {
    d.warn(`${path}.minProtocolVersion`, 'TLS versions below TLSV1_2 require setting compatible cipherSuites, as the defaults no longer include them');
  }
  const seen = new Set<string>();
  (tls.cipherSuites ?? []).forEach((c, i) => {
    if (!VALID_CIPHER_SUITES.has(c)) d.warn(`${path}.cipherSuites[${i}]`, `ignoring invalid cipher suite ${JSON.stringify(c)}`);
    else if (seen.has(c)) d.warn(`${path}.cipherSuites[${i}]`, `ignoring duplicate cipher suite ${JSON.stringify(c)}`);
    seen.add(c);
  });
}
