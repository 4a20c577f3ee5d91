import { createHash, X509Certificate } from 'node:crypto';

const CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate PEM block of a bundle, in order, each normalised to end with a newline. */
export function splitPemCertificates(text: string): string[] {
  return (text.match(CERT_RE) ?? []).map((b) => `${b.trim()}\n`);
}

/** A PEM bundle: the certificates concatenated, one newline-terminated block each. */
export function joinPem(certs: readonly string[]): string {
  return certs.map((c) => (c.endsWith('\n') ? c : `${c}\n`)).join('');
}

/** SHA-256 fingerprint of a certificate's DER, lowercase hex without separators. */
export function certFingerprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}
