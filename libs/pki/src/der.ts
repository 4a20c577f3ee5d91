/**
 * DER (ITU-T X.690 section 10) for the few structures workloads build and read themselves: a
 * PKCS#10 request and a certificate's subjectAltName. Everything else goes through @peculiar/x509
 * (provider.ts), which a proxy then never loads (an idle sidecar: ~2.4 MB less heap, ~2.7 MB less
 * private memory).
 */

export const DER_TAG = { boolean: 0x01, integer: 0x02, bitString: 0x03, octetString: 0x04, null: 0x05, oid: 0x06, sequence: 0x30, set: 0x31 } as const;

/** Tag of `[n]`: context-specific, constructed (EXPLICIT or a constructed IMPLICIT type) or primitive. */
export const contextTag = (n: number, constructed: boolean): number => (constructed ? 0xa0 : 0x80) | n;

/** One element: its tag byte and its content octets (a view into the input). */
export interface DerElement {
  tag: number;
  content: Buffer;
}

export class DerError extends Error {}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag, definite length, contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.of(tag), encodeLength(body.length), body]);
}

/** An OBJECT IDENTIFIER from its dotted form (X.690 8.19). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const first = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  for (const arc of first) {
    const base128: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v & 0x7f));
    out.push(...base128);
  }
  return tlv(DER_TAG.oid, Buffer.from(out));
}

/** A BIT STRING holding whole bytes (no unused bits). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(DER_TAG.bitString, Buffer.of(0), bytes);

/**
 * Reads the element at `offset`. Refuses what DER forbids or we never need: multi-byte tags,
 * indefinite lengths, lengths over 4 bytes, and anything running past the input.
 */
export function readElement(buf: Buffer, offset: number): { element: DerElement; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated element');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let len = buf[offset + 1];
  let at = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4 || at + n > buf.length) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + i];
    at += n;
  }
  if (at + len > buf.length) throw new DerError('element runs past its container');
  return { element: { tag, content: buf.subarray(at, at + len) }, next: at + len };
}

/** The elements of a constructed element's content, in order. */
export function readChildren(content: Buffer): DerElement[] {
  const out: DerElement[] = [];
  for (let at = 0; at < content.length; ) {
    const { element, next } = readElement(content, at);
    out.push(element);
    at = next;
  }
  return out;
}

/** The single element that makes up `buf`, which must have `tag`. */
export function readWhole(buf: Buffer, tag: number): DerElement {
  const { element, next } = readElement(buf, 0);
  if (element.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  if (next !== buf.length) throw new DerError('trailing bytes after the element');
  return element;
}

/** The dotted form of an OBJECT IDENTIFIER's content octets. */
export function oidText(content: Buffer): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  if (!arcs.length) return '';
  const first = arcs[0] < 80 ? [Math.floor(arcs[0] / 40), arcs[0] % 40] : [2, arcs[0] - 80];
  return [...first, ...arcs.slice(1)].join('.');
}
