import { BACKDATE_MS, type CaCredential, issuerKeyId } from './ca';
import { generalNames, type ParsedCsr, parseCsr } from './csr';
import type { SubjectAltNames } from './general-names';
import { signingAlgorithm } from './keys';
import { x509 } from './provider';
import { formatIssues } from './result';
import { randomSerial } from './serial';

export interface SignCsrParams {
  /** A PEM CSR (parsed and signature-checked here) or an already parsed one. */
  csr: string | ParsedCsr;
  /** The CA that signs (the intermediate). */
  issuer: CaCredential;
  /**
   * The names to certify, as the CA decided after authorizing the caller. The CSR's own names are
   * not copied: only its public key is used.
   */
  sans: SubjectAltNames;
  ttlMs: number;
  now?: Date;
}

export interface IssuedCertificate {
  certPem: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

/** keyUsage of an end-entity SVID: digitalSignature (required) and keyEncipherment (as Istio). */
const LEAF_KEY_USAGE = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;

/**
 * Signs an end-entity certificate for the CSR's public key (the private key never reaches the CA),
 * following SPIFFE X509-SVID (standards/X509-SVID.md section 4): basicConstraints cA=false,
 * keyUsage digitalSignature (+keyEncipherment), never keyCertSign/cRLSign, extKeyUsage serverAuth +
 * clientAuth; an empty subject with a critical subjectAltName (RFC 5280 4.2.1.6); subject and
 * authority key identifiers (RFC 5280 4.2.1.1/4.2.1.2). Validity starts a minute back for clock
 * skew and never outlasts the issuer. This is the hot path Citadel's benchmark measures.
 */
export async function signCsr(p: SignCsrParams): Promise<IssuedCertificate> {
  const csr = typeof p.csr === 'string' ? await parsedOrThrow(p.csr) : p.csr;
  const names = generalNames(p.sans);
  if (!names.length) throw new Error('a certificate needs at least one subjectAltName');
  const now = (p.now ?? new Date()).getTime();
  const notBefore = new Date(Math.max(now - BACKDATE_MS, p.issuer.cert.notBefore.getTime()));
  const notAfter = new Date(Math.min(now + p.ttlMs, p.issuer.cert.notAfter.getTime()));
  const serialNumber = randomSerial();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: '',
    issuer: p.issuer.cert.subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(p.issuer.key.spec),
    publicKey: csr.publicKey,
    signingKey: p.issuer.key.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(LEAF_KEY_USAGE, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(names, true),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      new x509.AuthorityKeyIdentifierExtension(await issuerKeyId(p.issuer.cert)),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', serialNumber, notBefore, notAfter };
}

async function parsedOrThrow(pem: string): Promise<ParsedCsr> {
  const r = await parseCsr(pem);
  if (!r.ok) throw new Error(`invalid CSR: ${formatIssues(r.errors)}`);
  return r.value;
}
