import net from 'node:net';
import { SocketFacade } from '../h2/socket-facade';
import { listenTracked } from './sockets';

/** A PROXY protocol header as a receiving server reads it. */
export interface ParsedProxyHeader {
  version: 1 | 2;
  /** v1 `TCP4`/`TCP6`/`UNKNOWN`; v2 `PROXY`/`LOCAL`. */
  command: string;
  family?: 'TCP4' | 'TCP6';
  source?: string;
  destination?: string;
  sourcePort?: number;
  destinationPort?: number;
}

const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
/** v1's longest line (section 2.1) and v2's fixed part. */
const V1_MAX = 107;

const ipv6Text = (b: Buffer): string => Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');

/**
 * Parses a header at the start of `buf` following HAProxy's proxy-protocol.txt independently of
 * the proxy's encoder: v1 (section 2.1), v2 (section 2.2, TCP over IPv4/IPv6). Returns the header
 * and its length, `undefined` when more bytes are needed; throws on a malformed header.
 */
export function parseProxyHeader(buf: Buffer): { header: ParsedProxyHeader; length: number } | undefined {
  if (buf.length >= 12 && buf.subarray(0, 12).equals(V2_SIGNATURE)) {
    if (buf.length < 16) return undefined;
    const verCmd = buf[12];
    if (verCmd >> 4 !== 2) throw new Error(`bad v2 version ${verCmd >> 4}`);
    const len = buf.readUInt16BE(14);
    if (buf.length < 16 + len) return undefined;
    const body = buf.subarray(16, 16 + len);
    const command = (verCmd & 0xf) === 1 ? 'PROXY' : (verCmd & 0xf) === 0 ? 'LOCAL' : 'INVALID';
    const fam = buf[13];
    if (command === 'LOCAL' || fam === 0) return { header: { version: 2, command }, length: 16 + len };
    if (fam === 0x11 && len >= 12) {
      return { header: { version: 2, command, family: 'TCP4', source: [...body.subarray(0, 4)].join('.'), destination: [...body.subarray(4, 8)].join('.'), sourcePort: body.readUInt16BE(8), destinationPort: body.readUInt16BE(10) }, length: 16 + len };
    }
    if (fam === 0x21 && len >= 36) {
      return { header: { version: 2, command, family: 'TCP6', source: ipv6Text(body.subarray(0, 16)), destination: ipv6Text(body.subarray(16, 32)), sourcePort: body.readUInt16BE(32), destinationPort: body.readUInt16BE(34) }, length: 16 + len };
    }
    throw new Error(`unexpected v2 family ${fam} / length ${len}`);
  }
  if (buf.length < 6) return undefined;
  if (buf.subarray(0, 6).toString('latin1') !== 'PROXY ') throw new Error(`no PROXY header: ${JSON.stringify(buf.subarray(0, 16).toString('latin1'))}`);
  const end = buf.indexOf('\r\n');
  if (end < 0) {
    if (buf.length >= V1_MAX) throw new Error('v1 header too long');
    return undefined;
  }
  const parts = buf.subarray(0, end).toString('latin1').split(' ');
  if (parts[1] === 'UNKNOWN') return { header: { version: 1, command: 'UNKNOWN' }, length: end + 2 };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) throw new Error(`bad v1 line ${parts.join(' ')}`);
  const family = parts[1];
  return { header: { version: 1, command: family, family, source: parts[2], destination: parts[3], sourcePort: Number(parts[4]), destinationPort: Number(parts[5]) }, length: end + 2 };
}

export interface ProxyProtocolServer {
  host: string;
  port: number;
  /** Headers received, one per connection, in order. */
  headers: ParsedProxyHeader[];
  /** Indexes (into `headers`) of the connections that have closed since. */
  closed: Set<number>;
  /** Connections refused for a missing or malformed header. */
  rejected: number;
  close(): Promise<void>;
}

/**
 * A server that requires a PROXY header on every connection, records it, and hands the rest of
 * the connection (as a JS stream, so bytes read past the header are kept) to `next` (an
 * http.Server, https.Server, or a handler).
 */
export async function startProxyProtocolServer(host: string, next: net.Server | ((s: net.Socket | SocketFacade) => void)): Promise<ProxyProtocolServer> {
  const out: ProxyProtocolServer = { host, port: 0, headers: [], closed: new Set(), rejected: 0, close: async () => undefined };
  const server = net.createServer((s) => {
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      let parsed: ReturnType<typeof parseProxyHeader>;
      try {
        parsed = parseProxyHeader(buf);
      } catch {
        out.rejected++;
        return void s.destroy();
      }
      if (!parsed) return;
      s.off('data', onData);
      s.pause();
      const index = out.headers.push(parsed.header) - 1;
      s.once('close', () => out.closed.add(index));
      const rest = buf.subarray(parsed.length);
      if (rest.length) s.unshift(rest);
      const stream = new SocketFacade(s);
      if (typeof next === 'function') next(stream);
      else next.emit('connection', stream);
    };
    s.on('data', onData);
  });
  return Object.assign(out, await listenTracked(server, host));
}
