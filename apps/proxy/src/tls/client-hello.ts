/**
 * What Envoy's tls_inspector learns from the first bytes of a connection, without terminating
 * TLS: whether it is TLS, the SNI host name and the ALPN protocols the client offers.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/listener_filters/tls_inspector
 */
export type ClientHelloResult =
  | { kind: 'need-more' }
  | { kind: 'not-tls' }
  /** A TLS handshake that does not parse as a ClientHello; Envoy treats it as TLS without SNI. */
  | { kind: 'tls'; serverName?: string; alpn: string[]; malformed?: boolean };

/** Envoy's default max_client_hello_size (64 KiB). */
export const MAX_CLIENT_HELLO = 64 * 1024;

const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;

/** A bounds-checked reader; any overrun throws, which the caller turns into `malformed`. */
class Reader {
  constructor(
    private readonly b: Buffer,
    public pos = 0,
    private readonly end = b.length,
  ) {}
  u8(): number {
    this.need(1);
    return this.b[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.b.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A sub-reader over the next `n` bytes (a length-prefixed vector). */
  sub(n: number): Reader {
    this.need(n);
    const r = new Reader(this.b, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  private need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('truncated ClientHello');
  }
}

/** Concatenates handshake-record payloads until the first handshake message is complete. */
function handshakeMessage(buf: Buffer): Buffer | 'need-more' | 'not-tls' {
  const parts: Buffer[] = [];
  let have = 0;
  let pos = 0;
  for (;;) {
    if (buf.length < pos + 5) return 'need-more';
    if (buf[pos] !== HANDSHAKE || buf[pos + 1] !== 3) return pos === 0 ? 'not-tls' : 'need-more';
    const len = buf.readUInt16BE(pos + 3);
    if (buf.length < pos + 5 + len) return 'need-more';
    parts.push(buf.subarray(pos + 5, pos + 5 + len));
    have += len;
    pos += 5 + len;
    const msg = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (have >= 4 && have >= 4 + msg.readUIntBE(1, 3)) return msg;
  }
}

function extensions(r: Reader, out: { serverName?: string; alpn: string[] }): void {
  if (r.remaining === 0) return;
  const ext = r.sub(r.u16());
  while (ext.remaining > 0) {
    const type = ext.u16();
    const data = ext.sub(ext.u16());
    if (type === EXT_SERVER_NAME) {
      const list = data.sub(data.u16());
      while (list.remaining > 0) {
        const nameType = list.u8();
        const name = list.bytes(list.u16());
        if (nameType === 0 && out.serverName === undefined) out.serverName = name.toString('ascii').toLowerCase();
      }
    } else if (type === EXT_ALPN) {
      const list = data.sub(data.u16());
      while (list.remaining > 0) out.alpn.push(list.bytes(list.u8()).toString('ascii'));
    }
  }
}

/** Parses the start of a connection; `need-more` until a whole ClientHello is buffered. */
export function parseClientHello(buf: Buffer): ClientHelloResult {
  if (buf.length > 0 && buf[0] !== HANDSHAKE) return { kind: 'not-tls' };
  const msg = handshakeMessage(buf);
  if (msg === 'need-more' || msg === 'not-tls') return { kind: msg };
  const out: { serverName?: string; alpn: string[] } = { alpn: [] };
  try {
    const r = new Reader(msg);
    if (r.u8() !== CLIENT_HELLO) return { kind: 'tls', alpn: [], malformed: true };
    const body = r.sub(r.u8() * 65536 + r.u16());
    body.bytes(2 + 32); // legacy_version, random
    body.bytes(body.u8()); // session id
    body.bytes(body.u16()); // cipher suites
    body.bytes(body.u8()); // compression methods
    extensions(body, out);
  } catch {
    return { kind: 'tls', alpn: [], malformed: true };
  }
  return { kind: 'tls', ...out };
}
