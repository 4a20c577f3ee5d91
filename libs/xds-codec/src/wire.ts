/**
 * A minimal protobuf wire writer for the push hot path: messages whose sub-messages are already
 * encoded (each resource's Any bytes are cached by content hash upstream) are assembled by
 * concatenation, with no protobufjs round trip. See https://protobuf.dev/programming-guides/encoding/
 */

const WIRE_LEN = 2;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Tag of a part written verbatim (already-encoded fields). */
const RAW = -1;

/** Collects length-delimited fields, then writes them into one exactly sized Buffer. */
export class LenFieldWriter {
  private readonly parts: Array<{ tag: number; bytes: Uint8Array }> = [];
  private size = 0;

  /** A length-delimited field (string, bytes, sub-message). Empty values are skipped (proto3 default). */
  bytes(fieldNumber: number, bytes: Uint8Array | undefined): this {
    if (!bytes || bytes.length === 0) return this;
    const tag = (fieldNumber << 3) | WIRE_LEN;
    this.parts.push({ tag, bytes });
    this.size += varintSize(tag) + varintSize(bytes.length) + bytes.length;
    return this;
  }

  /** A string field; '' and undefined are skipped. */
  string(fieldNumber: number, s: string | undefined): this {
    return s ? this.bytes(fieldNumber, Buffer.from(s, 'utf8')) : this;
  }

  /** A sub-message field, written even when empty (presence matters for messages). */
  message(fieldNumber: number, bytes: Uint8Array): this {
    const tag = (fieldNumber << 3) | WIRE_LEN;
    this.parts.push({ tag, bytes });
    this.size += varintSize(tag) + varintSize(bytes.length) + bytes.length;
    return this;
  }

  /** Already-encoded fields of the same message, written as they are. */
  raw(bytes: Uint8Array): this {
    this.parts.push({ tag: RAW, bytes });
    this.size += bytes.length;
    return this;
  }

  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    let pos = 0;
    const writeVarint = (n: number): void => {
      while (n >= 0x80) {
        out[pos++] = (n & 0x7f) | 0x80;
        n = Math.floor(n / 128);
      }
      out[pos++] = n;
    };
    for (const { tag, bytes } of this.parts) {
      if (tag !== RAW) {
        writeVarint(tag);
        writeVarint(bytes.length);
      }
      out.set(bytes, pos);
      pos += bytes.length;
    }
    return out;
  }
}
