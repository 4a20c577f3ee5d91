import { KeyObject, sign } from 'node:crypto';
import { DER_TAG, bitString, contextTag, oid, tlv } from './der';
import { type SubjectAltNames, encodeGeneralNames } from './general-names';
import { type KeyPair, type KeySpec, toPem } from './keys';

const OID = {
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

/** AlgorithmIdentifier and digest of the signature made with a key (RFC 5758 3.2, RFC 4055 5: RSA carries NULL parameters). */
function signatureAlgorithm(spec: KeySpec): { id: Buffer; digest: string } {
  if (spec.type === 'rsa') return { id: tlv(DER_TAG.sequence, oid(OID.sha256WithRsa), tlv(DER_TAG.null)), digest: 'sha256' };
  return spec.curve === 'P-384' ? { id: tlv(DER_TAG.sequence, oid(OID.ecdsaWithSha384)), digest: 'sha384' } : { id: tlv(DER_TAG.sequence, oid(OID.ecdsaWithSha256)), digest: 'sha256' };
}

/**
 * Builds a PKCS#10 request (RFC 2986) signed with the caller's key (proof of possession), on
 * node:crypto alone. Only the public key and the names leave the caller. The subject is empty, as
 * SPIFFE X509-SVIDs identify by URI SAN alone, so the SAN extension is critical (RFC 5280 4.2.1.6).
 */
// async: a bad name rejects, as it did when @peculiar/x509 built the request.
export async function createCsr(key: KeyPair, sans: SubjectAltNames): Promise<string> {
  const spki = KeyObject.from(key.publicKey).export({ type: 'spki', format: 'der' });
  const san = tlv(DER_TAG.sequence, oid(OID.subjectAltName), tlv(DER_TAG.boolean, Buffer.of(0xff)), tlv(DER_TAG.octetString, encodeGeneralNames(sans)));
  const extensionRequest = tlv(DER_TAG.sequence, oid(OID.extensionRequest), tlv(DER_TAG.set, tlv(DER_TAG.sequence, san)));
  const info = tlv(
    DER_TAG.sequence,
    tlv(DER_TAG.integer, Buffer.of(0)), // version v1
    tlv(DER_TAG.sequence), // subject: empty Name
    spki,
    tlv(contextTag(0, true), extensionRequest), // attributes [0] IMPLICIT SET OF Attribute
  );
  const alg = signatureAlgorithm(key.spec);
  // node signs ECDSA as a DER Ecdsa-Sig-Value and RSA as PKCS#1 v1.5: the encodings X.509 uses.
  const signature = sign(alg.digest, info, KeyObject.from(key.privateKey));
  return toPem('CERTIFICATE REQUEST', tlv(DER_TAG.sequence, info, alg.id, bitString(signature)));
}
