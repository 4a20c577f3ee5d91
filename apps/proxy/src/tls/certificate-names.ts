import { X509Certificate, createHash } from 'node:crypto';
import { x509 } from '@mizzen/pki';

/** subjectAltName entries of a certificate, by type (RFC 5280 4.2.1.6). */
export interface CertificateNames {
  uris: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
}

const EMPTY: CertificateNames = { uris: [], dnsNames: [], ipAddresses: [], emails: [] };
const SAN_OID = '2.5.29.17';
/** Parsed names by DER fingerprint: a handful of peers make almost every handshake. */
const cache = new Map<string, CertificateNames>();
const CACHE_MAX = 512;

/**
 * The SANs of a DER certificate, decoded from ASN.1 (not from node's `subjectaltname` text, whose
 * quoting rules make a crafted URI look like two). Unreadable extensions yield no names, so
 * nothing can match them.
 */
export function certificateNames(der: Buffer): CertificateNames {
  const key = createHash('sha256').update(der).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const names = decode(der);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, names);
  return names;
}

function decode(der: Buffer): CertificateNames {
  try {
    const cert = new x509.X509Certificate(der);
    const ext = cert.extensions.find((e) => e.type === SAN_OID);
    if (!ext) return EMPTY;
    const out: CertificateNames = { uris: [], dnsNames: [], ipAddresses: [], emails: [] };
    for (const n of new x509.SubjectAlternativeNameExtension(ext.rawData).names.items) {
      if (n.type === 'url') out.uris.push(n.value);
      else if (n.type === 'dns') out.dnsNames.push(n.value);
      else if (n.type === 'ip') out.ipAddresses.push(n.value);
      else if (n.type === 'email') out.emails.push(n.value);
    }
    return out;
  } catch {
    return EMPTY;
  }
}

/** The SANs of the first certificate of a PEM chain. */
export function pemNames(pem: string): CertificateNames {
  return certificateNames(new X509Certificate(pem).raw);
}
