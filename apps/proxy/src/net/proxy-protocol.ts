import { parseIp, unmapIpv4 } from '../util/ip';

/** PROXY protocol version 1 (text) or 2 (binary). */
export type ProxyProtocolVersion = 1 | 2;

/** The addresses a PROXY header carries: the downstream peer (source) and what it connected to (destination). */
export interface ProxiedAddresses {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
}

/** The v2 signature (section 2.2). */
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_PROXY = 0x21; // version 2, command PROXY
const V2_LOCAL = 0x20; // version 2, command LOCAL
const AF_INET_STREAM = 0x11;
const AF_INET6_STREAM = 0x21;

/** One end: its family, 4 or 16 address bytes, and its text (v1). */
interface End {
  family: 4 | 6;
  bytes: Buffer;
  text: string;
}

/** An IP literal (IPv4-mapped IPv6 as the IPv4 address, as Envoy reports such peers); undefined otherwise. */
function end(addr: string): End | undefined {
  const parsed = parseIp(addr);
  if (!parsed) return undefined;
  const ip = unmapIpv4(parsed);
  const size = ip.family === 4 ? 4 : 16;
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Number((ip.value >> BigInt(8 * (size - 1 - i))) & 0xffn);
  return { family: ip.family, bytes, text: ip.family === 4 ? [...bytes].join('.') : addr.replace(/%.*$/, '') };
}

/** Both ends in one family, or undefined (then the header says UNKNOWN / LOCAL). */
function ends(a: ProxiedAddresses | undefined): { src: End; dst: End } | undefined {
  const src = a && end(a.remoteAddress);
  const dst = a && end(a.localAddress);
  return src && dst && src.family === dst.family ? { src, dst } : undefined;
}

/**
 * The PROXY protocol header an upstream connection starts with, per HAProxy's spec
 * (https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt): v1 is the text line
 * `PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\r\n` (section 2.1), v2 the binary form with the
 * 12-byte signature, version/command, family/transport, length and addresses (section 2.2).
 * Without usable addresses (none, or mixed families) v1 says `PROXY UNKNOWN` and v2 uses the
 * LOCAL command, as Envoy's upstream_proxy_protocol does.
 */
export function proxyProtocolHeader(version: ProxyProtocolVersion, addresses: ProxiedAddresses | undefined): Buffer {
  const e = ends(addresses);
  if (version === 1) {
    if (!e || !addresses) return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
    return Buffer.from(`PROXY TCP${e.src.family} ${e.src.text} ${e.dst.text} ${addresses.remotePort} ${addresses.localPort}\r\n`, 'latin1');
  }
  if (!e || !addresses) return Buffer.concat([V2_SIGNATURE, Buffer.from([V2_LOCAL, 0x00, 0x00, 0x00])]);
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(addresses.remotePort, 0);
  ports.writeUInt16BE(addresses.localPort, 2);
  const body = Buffer.concat([e.src.bytes, e.dst.bytes, ports]);
  const head = Buffer.from([V2_PROXY, e.src.family === 4 ? AF_INET_STREAM : AF_INET6_STREAM, 0, 0]);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, body]);
}
