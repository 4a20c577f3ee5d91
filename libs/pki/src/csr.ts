import { createPublicKey, type KeyObject } from 'node:crypto';
import { importPublicKeyDer, type KeySpec, specOfKeyObject } from './keys';
import { type CryptoKey, x509 } from './provider';
import type { SubjectAltNames } from './general-names';
import { type PkiIssue, type PkiResult, pkiFail, pkiOk } from './result';

/** A PKCS#10 request (RFC 2986) whose signature verified: what the requester asks for. */
export interface ParsedCsr {
  /** The subject DN as text (`CN=x, O=y`), `` when empty. Citadel ignores it (SVIDs have none). */
  subject: string;
  uris: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
  /** SAN entries of other kinds (directory names, registered IDs...), by type. */
  otherNames: string[];
  /** The requester's public key; the certificate is issued for it. */
  publicKey: CryptoKey;
  keySpec: KeySpec;
  raw: x509.Pkcs10CertificateRequest;
}

const SAN_OID = '2.5.29.17';

/** GeneralNames in a stable order: URIs, DNS names, IP addresses. */
export function generalNames(sans: SubjectAltNames): x509.JsonGeneralNames {
  return [
    ...(sans.uris ?? []).map((value) => ({ type: 'url' as const, value })),
    ...(sans.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(sans.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
}

/**
 * Parses a PEM CSR and verifies its self-signature. Collects every problem: unreadable PEM, a bad
 * signature, an unsupported key, an unreadable or repeated SAN extension.
 */
export async function parseCsr(pem: string): Promise<PkiResult<ParsedCsr>> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(pem)) return pkiFail([{ path: 'csr', message: 'not a PEM certificate request' }]);
    csr = new x509.Pkcs10CertificateRequest(pem.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'));
  } catch (err) {
    return pkiFail([{ path: 'csr', message: `unreadable certificate request: ${(err as Error).message}` }]);
  }
  const errors: PkiIssue[] = [];
  let keyObject: KeyObject | undefined;
  let keySpec: KeySpec | undefined;
  try {
    keyObject = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    const spec = specOfKeyObject(keyObject);
    if (typeof spec === 'string') errors.push({ path: 'csr.publicKey', message: spec });
    else keySpec = spec;
  } catch (err) {
    errors.push({ path: 'csr.publicKey', message: `unreadable public key: ${(err as Error).message}` });
  }
  if (keySpec && !(await verifySignature(csr))) errors.push({ path: 'csr.signature', message: 'signature does not verify with the request’s public key' });
  const sans = readSans(csr, errors);
  if (errors.length || !keySpec) return pkiFail(errors);
  return pkiOk({ subject: csr.subject, ...sans, publicKey: await importPublicKeyDer(new Uint8Array(csr.publicKey.rawData), keySpec), keySpec, raw: csr });
}

async function verifySignature(csr: x509.Pkcs10CertificateRequest): Promise<boolean> {
  try {
    return await csr.verify();
  } catch {
    return false;
  }
}

type Sans = Pick<ParsedCsr, 'uris' | 'dnsNames' | 'ipAddresses' | 'emails' | 'otherNames'>;

/** Reads the SAN extension of the request's extensionRequest attribute (RFC 2985 5.4.2) by OID. */
function readSans(csr: x509.Pkcs10CertificateRequest, errors: PkiIssue[]): Sans {
  const out: Sans = { uris: [], dnsNames: [], ipAddresses: [], emails: [], otherNames: [] };
  const exts = csr.extensions.filter((e) => e.type === SAN_OID);
  if (exts.length > 1) errors.push({ path: 'csr.san', message: 'more than one subjectAltName extension' });
  if (!exts.length) return out;
  let names: readonly x509.GeneralName[];
  try {
    names = new x509.SubjectAlternativeNameExtension(exts[0].rawData).names.items;
  } catch (err) {
    errors.push({ path: 'csr.san', message: `unreadable subjectAltName (otherName and x400 names are refused): ${(err as Error).message}` });
    return out;
  }
  for (const n of names) {
    if (n.type === 'url') out.uris.push(n.value);
    else if (n.type === 'dns') out.dnsNames.push(n.value);
    else if (n.type === 'ip') out.ipAddresses.push(n.value);
    else if (n.type === 'email') out.emails.push(n.value);
    else out.otherNames.push(`${n.type}:${n.value}`);
  }
  return out;
}
