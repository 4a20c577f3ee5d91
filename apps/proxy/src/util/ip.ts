import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, with its family; undefined for anything that is not an IP literal. */
export interface IpValue {
  family: 4 | 6;
  value: bigint;
}

function v4(s: string): bigint {
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6(s: string): bigint {
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let text = s;
  if (tail) {
    const n = v4(tail[1]);
    text = `${s.slice(0, -tail[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const a = head ? head.split(':') : [];
  const b = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? a : [...a, ...Array<string>(8 - a.length - b.length).fill('0'), ...b];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses an IP literal (IPv6 zone ids are dropped); IPv4-mapped IPv6 stays IPv6. */
export function parseIp(addr: string): IpValue | undefined {
  const s = addr.replace(/%.*$/, '');
  if (isIPv4(s)) return { family: 4, value: v4(s) };
  if (isIPv6(s)) return { family: 6, value: v6(s) };
  return undefined;
}

/** `::ffff:a.b.c.d` (how a dual-stack socket reports IPv4 peers) as the IPv4 address. */
export function unmapIpv4(ip: IpValue): IpValue {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) return { family: 4, value: ip.value & 0xffffffffn };
  return ip;
}

/** True when `ip` lies in `base/prefixLen` (same family). */
export function inCidr(ip: IpValue, base: IpValue, prefixLen: number): boolean {
  if (ip.family !== base.family) return false;
  const bits = BigInt(ip.family === 4 ? 32 : 128);
  const shift = bits - BigInt(prefixLen);
  return ip.value >> shift === base.value >> shift;
}

export function isLoopback(ip: IpValue): boolean {
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}
