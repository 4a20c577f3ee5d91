import { DER_TAG, contextTag, oidText, readChildren, readElement, readWhole } from './der';
import { type GeneralNamesRead, decodeGeneralNames } from './general-names';

const SAN_OID = '2.5.29.17';

/**
 * The subjectAltName entries of a DER certificate, decoded from ASN.1 (RFC 5280 4.1 and 4.2.1.6)
 * rather than from node's `subjectAltName` text, whose quoting makes a crafted URI look like two.
 * Undefined when the certificate or its SAN extension cannot be read; empty lists when it has none.
 */
export function certificateSans(der: Uint8Array): GeneralNamesRead | undefined {
  try {
    const cert = readWhole(Buffer.from(der.buffer, der.byteOffset, der.byteLength), DER_TAG.sequence);
    const tbs = readElement(cert.content, 0).element;
    if (tbs.tag !== DER_TAG.sequence) return undefined;
    // TBSCertificate: version [0], serial, signature, issuer, validity, subject, SPKI, [1], [2], extensions [3].
    const extensions = readChildren(tbs.content).find((e) => e.tag === contextTag(3, true));
    const none: GeneralNamesRead = { uris: [], dnsNames: [], ipAddresses: [], emails: [] };
    if (!extensions) return none;
    for (const ext of readChildren(readWhole(extensions.content, DER_TAG.sequence).content)) {
      // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
      const parts = readChildren(ext.content);
      if (parts[0]?.tag !== DER_TAG.oid || oidText(parts[0].content) !== SAN_OID) continue;
      const value = parts[parts.length - 1];
      if (value.tag !== DER_TAG.octetString) return undefined;
      return decodeGeneralNames(readWhole(value.content, DER_TAG.sequence));
    }
    return none;
  } catch {
    return undefined;
  }
}
