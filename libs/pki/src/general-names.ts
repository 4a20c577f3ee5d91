import { isIPv4, isIPv6 } from 'node:net';
import { type DerElement, DER_TAG, contextTag, readChildren, tlv } from './der';

/** Names a certificate is for (subjectAltName, RFC 5280 4.2.1.6). */
export interface SubjectAltNames {
  uris?: readonly string[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** The names of a subjectAltName by kind; kinds workloads never match on are skipped. */
export interface GeneralNamesRead {
  uris: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
}

/** GeneralName choices (RFC 5280 4.2.1.6), all IMPLICIT and primitive for these kinds. */
const NAME_TAG = { email: contextTag(1, false), dns: contextTag(2, false), uri: contextTag(6, false), ip: contextTag(7, false) } as const;

/** The 4 or 16 octets of an IP address literal (no zone index), or undefined. */
export function ipOctets(ip: string): Buffer | undefined {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip) || ip.includes('%')) return undefined;
  let text = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** The text of a 4- or 16-octet address: dotted quad, or RFC 5952's compressed form (as inet_ntop). */
export function ipText(octets: Buffer): string | undefined {
  if (octets.length === 4) return [...octets].join('.');
  if (octets.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(octets.readUInt16BE(i).toString(16));
  // WHATWG URL host serialisation is RFC 5952's: lower case, longest zero run compressed.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** GeneralNames DER in a stable order: URIs, DNS names, IP addresses. Throws on a bad IP literal. */
export function encodeGeneralNames(sans: SubjectAltNames): Buffer {
  const names: Buffer[] = [
    ...(sans.uris ?? []).map((u) => tlv(NAME_TAG.uri, Buffer.from(u, 'latin1'))),
    ...(sans.dnsNames ?? []).map((d) => tlv(NAME_TAG.dns, Buffer.from(d, 'latin1'))),
    ...(sans.ipAddresses ?? []).map((ip) => {
      const octets = ipOctets(ip);
      if (!octets) throw new Error(`not an IP address: ${ip}`);
      return tlv(NAME_TAG.ip, octets);
    }),
  ];
  return tlv(DER_TAG.sequence, ...names);
}

/** Reads GeneralNames (a SEQUENCE's content); an IP of the wrong length makes the whole value unreadable. */
export function decodeGeneralNames(seq: DerElement): GeneralNamesRead {
  const out: GeneralNamesRead = { uris: [], dnsNames: [], ipAddresses: [], emails: [] };
  for (const n of readChildren(seq.content)) {
    if (n.tag === NAME_TAG.uri) out.uris.push(n.content.toString('latin1'));
    else if (n.tag === NAME_TAG.dns) out.dnsNames.push(n.content.toString('latin1'));
    else if (n.tag === NAME_TAG.email) out.emails.push(n.content.toString('latin1'));
    else if (n.tag === NAME_TAG.ip) {
      const text = ipText(n.content);
      if (text === undefined) throw new Error(`iPAddress of ${n.content.length} octets`);
      out.ipAddresses.push(text);
    }
  }
  return out;
}
