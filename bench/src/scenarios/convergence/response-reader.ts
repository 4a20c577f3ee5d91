import type { LightResponse } from './xds-wire';

/**
 * Reads gRPC-framed DiscoveryResponses from an HTTP/2 stream's DATA chunks as they arrive, without
 * assembling the whole message first: the envelope's small fields (version_info = 1, type_url = 4,
 * nonce = 5) are collected, and a resource (field 2, a google.protobuf.Any) is kept only when
 * `keep(typeUrl of the Any)` says so; the others are counted and skipped without being copied. A
 * simulated proxy never reads a RouteConfiguration's body, so 1000 of them receiving a 450 KB RDS
 * cost their worker little more than the kernel's copy.
 *
 * gRPC message framing: 1 byte compressed flag (must be 0), 4 bytes big-endian length
 * (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). Protobuf encoding:
 * https://protobuf.dev/programming-guides/encoding/. Field numbers: envoy/service/discovery/v3/
 * discovery.proto, google/protobuf/any.proto (type_url = 1 comes first in every encoder's output).
 */
export class DiscoveryResponseReader {
  /** Bytes of the gRPC prefix or of a field header (tag + length) split across chunks. */
  private head: number[] = [];
  /** Bytes left in the current gRPC message; -1 while reading a message prefix. */
  private messageLeft = -1;
  private field?: OpenField;
  private message: LightResponse = emptyResponse();

  constructor(
    private readonly keep: (resourceTypeUrl: string) => boolean,
    private readonly onResponse: (r: LightResponse) => void,
  ) {}

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.messageLeft < 0) pos = this.readPrefix(chunk, pos);
      else if (this.field) pos = this.readBody(chunk, pos);
      else pos = this.readFieldHeader(chunk, pos);
      if (this.messageLeft === 0 && !this.field && this.head.length === 0) this.endMessage();
    }
  }

  private readPrefix(chunk: Buffer, pos: number): number {
    while (this.head.length < 5 && pos < chunk.length) this.head.push(chunk[pos++]);
    if (this.head.length < 5) return pos;
    const [flag, a, b, c, d] = this.head;
    this.head = [];
    if (flag !== 0) throw new Error('compressed gRPC messages are not supported');
    this.messageLeft = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
    this.message = emptyResponse();
    return pos;
  }

  /** Tag, then for a length-delimited field its length; varint and fixed fields are consumed whole. */
  private readFieldHeader(chunk: Buffer, pos: number): number {
    while (pos < chunk.length) {
      this.head.push(chunk[pos++]);
      this.messageLeft--;
      const parsed = parseHeader(this.head);
      if (parsed === 'incomplete') continue;
      this.head = [];
      if (parsed.wire !== 2) {
        // A varint or fixed-size scalar (canary = 3 is the only one in a DiscoveryResponse): skip it.
        if (parsed.skip > 0) this.field = { number: parsed.number, left: parsed.skip, parts: null, resource: false };
        return pos;
      }
      const resource = parsed.number === 2;
      this.field = { number: parsed.number, left: parsed.length, parts: [], resource, size: parsed.length };
      if (parsed.length === 0) this.endField();
      return pos;
    }
    return pos;
  }

  private readBody(chunk: Buffer, pos: number): number {
    const f = this.field as OpenField;
    const n = Math.min(f.left, chunk.length - pos);
    if (f.parts) f.parts.push(chunk.subarray(pos, pos + n));
    f.left -= n;
    this.messageLeft -= n;
    pos += n;
    if (f.resource && f.parts && !f.decided) this.decide(f);
    if (f.left === 0) this.endField();
    return pos;
  }

  /** Once the Any's type_url is in, keep collecting the resource or drop it and skip the rest. */
  private decide(f: OpenField): void {
    const got = f.parts?.reduce((s, p) => s + p.length, 0) ?? 0;
    const headBytes = f.parts && f.parts.length === 1 ? f.parts[0] : Buffer.concat(f.parts ?? []);
    const typeUrl = anyTypeUrl(headBytes);
    if (typeUrl === undefined && got < (f.size ?? 0) && got < 512) return; // wait for more bytes
    f.decided = true;
    if (typeUrl !== undefined && !this.keep(typeUrl)) {
      f.parts = null;
      this.message.skippedResources++;
    }
  }

  private endField(): void {
    const f = this.field as OpenField;
    this.field = undefined;
    if (!f.parts) return;
    const bytes = f.parts.length === 1 ? f.parts[0] : Buffer.concat(f.parts);
    if (f.number === 1) this.message.versionInfo = bytes.toString('utf8');
    else if (f.number === 2) this.message.resources.push(bytes);
    else if (f.number === 4) this.message.typeUrl = bytes.toString('utf8');
    else if (f.number === 5) this.message.nonce = bytes.toString('utf8');
  }

  private endMessage(): void {
    this.messageLeft = -1;
    const r = this.message;
    this.message = emptyResponse();
    this.onResponse(r);
  }
}

interface OpenField {
  number: number;
  /** Body bytes still to come. */
  left: number;
  /** Collected body chunks; null when skipping. */
  parts: Buffer[] | null;
  resource: boolean;
  size?: number;
  decided?: boolean;
}

const emptyResponse = (): LightResponse => ({ versionInfo: '', typeUrl: '', nonce: '', resources: [], skippedResources: 0 });

type Header = { number: number; wire: number; length: number; skip: number };

/** Parses tag (+ length or scalar) from the collected header bytes, or says more are needed. */
function parseHeader(bytes: readonly number[]): Header | 'incomplete' {
  const tag = varint(bytes, 0);
  if (!tag) return 'incomplete';
  const number = Math.floor(tag.value / 8);
  const wire = tag.value & 7;
  if (wire === 2) {
    const len = varint(bytes, tag.next);
    return len ? { number, wire, length: len.value, skip: 0 } : 'incomplete';
  }
  if (wire === 0) {
    const v = varint(bytes, tag.next);
    return v ? { number, wire, length: 0, skip: 0 } : 'incomplete';
  }
  if (wire === 1) return { number, wire, length: 0, skip: 8 };
  if (wire === 5) return { number, wire, length: 0, skip: 4 };
  throw new Error(`unsupported protobuf wire type ${wire}`);
}

function varint(bytes: readonly number[], start: number): { value: number; next: number } | undefined {
  let value = 0;
  let mul = 1;
  for (let i = start; i < bytes.length; i++) {
    value += (bytes[i] & 0x7f) * mul;
    if (bytes[i] < 0x80) return { value, next: i + 1 };
    mul *= 128;
  }
  return undefined;
}

/** The type_url of an Any whose first bytes are `b` (field 1 first), or undefined if not all in yet. */
function anyTypeUrl(b: Buffer): string | undefined {
  if (b.length < 2 || b[0] !== 0x0a) return b.length >= 1 && b[0] !== 0x0a ? '' : undefined;
  const len = varint([...b.subarray(1, Math.min(b.length, 6))], 0);
  if (!len) return undefined;
  const start = 1 + len.next;
  if (b.length < start + len.value) return undefined;
  return b.toString('utf8', start, start + len.value);
}
