import { X509Certificate, createHash } from 'node:crypto';
import { type GeneralNamesRead, certificateSans } from '@mizzen/pki/workload';

/** subjectAltName entries of a certificate, by type (RFC 5280 4.2.1.6). */
export type CertificateNames = GeneralNamesRead;

const EMPTY: CertificateNames = { uris: [], dnsNames: [], ipAddresses: [], emails: [] };
/** Parsed names by DER fingerprint: a handful of peers make almost every handshake. */
const cache = new Map<string, CertificateNames>();
const CACHE_MAX = 512;

/**
 * The SANs of a DER certificate, decoded from ASN.1 (`certificateSans`: not from node's
 * `subjectaltname` text, whose quoting rules make a crafted URI look like two). Unreadable
 * extensions yield no names, so nothing can match them.
 */
export function certificateNames(der: Buffer): CertificateNames {
  const key = createHash('sha256').update(der).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const names = certificateSans(der) ?? EMPTY;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, names);
  return names;
}

/** The SANs of the first certificate of a PEM chain. */
export function pemNames(pem: string): CertificateNames {
  return certificateNames(new X509Certificate(pem).raw);
}
