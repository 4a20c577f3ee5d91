import { type KeyAlgorithmName, type KeyPair, generateKeyPair, signingAlgorithm } from './keys';
import { x509 } from './provider';
import { randomSerial } from './serial';

/** A CA certificate and its key: what signs (an intermediate) or anchors (a root). */
export interface CaCredential {
  certPem: string;
  cert: x509.X509Certificate;
  key: KeyPair;
}

export interface CaSubject {
  /** `O=` of the CA's subject; Istio puts the trust domain here. */
  organization: string;
  commonName: string;
}

export interface CreateCaOptions {
  subject: CaSubject;
  /** An existing key, or the algorithm of a fresh one (ECDSA P-256 by default). */
  key?: KeyPair | KeyAlgorithmName;
  ttlMs: number;
  now?: Date;
}

const CA_KEY_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;

/** Issuing before "now" tolerates peers whose clocks lag a little (a common CA practice). */
export const BACKDATE_MS = 60_000;

function subjectName(s: CaSubject): x509.JsonName {
  return [{ O: [s.organization] }, { CN: [s.commonName] }];
}

async function resolveKey(key: KeyPair | KeyAlgorithmName | undefined): Promise<KeyPair> {
  return typeof key === 'object' ? key : generateKeyPair(key ?? 'ECDSA-P256');
}

/**
 * A self-signed root (RFC 5280 4.2.1.9: basicConstraints cA critical; 4.2.1.3: keyCertSign and
 * cRLSign, critical; 4.2.1.2: subjectKeyIdentifier, with a matching authorityKeyIdentifier so
 * `openssl verify -x509_strict` accepts it).
 */
export async function createRootCa(opts: CreateCaOptions): Promise<CaCredential> {
  const key = await resolveKey(opts.key);
  const now = opts.now ?? new Date();
  const ski = await x509.SubjectKeyIdentifierExtension.create(key.publicKey);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subjectName(opts.subject),
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + opts.ttlMs),
    signingAlgorithm: signingAlgorithm(key.spec),
    keys: { privateKey: key.privateKey, publicKey: key.publicKey },
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      ski,
      new x509.AuthorityKeyIdentifierExtension(ski.keyId),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', cert, key };
}

/**
 * An intermediate CA signed by `issuer`, limited to issuing end-entity certificates
 * (pathLenConstraint 0, RFC 5280 4.2.1.9). It never outlives its issuer.
 */
export async function createIntermediateCa(opts: CreateCaOptions & { issuer: CaCredential; pathLength?: number }): Promise<CaCredential> {
  const key = await resolveKey(opts.key);
  const now = opts.now ?? new Date();
  const notAfter = new Date(Math.min(now.getTime() + opts.ttlMs, opts.issuer.cert.notAfter.getTime()));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(opts.subject),
    issuer: opts.issuer.cert.subjectName,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    signingAlgorithm: signingAlgorithm(opts.issuer.key.spec),
    publicKey: key.publicKey,
    signingKey: opts.issuer.key.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, opts.pathLength ?? 0, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(key.publicKey),
      new x509.AuthorityKeyIdentifierExtension(await issuerKeyId(opts.issuer.cert)),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', cert, key };
}

/**
 * The key identifier children of `cert` name in their authorityKeyIdentifier: its
 * subjectKeyIdentifier, or for a (plugged-in) CA without one, the RFC 5280 4.2.1.2 method (1)
 * SHA-1 of its public key.
 */
export async function issuerKeyId(cert: x509.X509Certificate): Promise<string> {
  const ext = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ext) return ext.keyId;
  return (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey)).keyId;
}

/** Parses a PEM certificate with @peculiar/x509. */
export function parseCertificate(pem: string): x509.X509Certificate {
  return new x509.X509Certificate(pem);
}
