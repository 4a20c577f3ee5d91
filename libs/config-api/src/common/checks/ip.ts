/**
 * IP address and subnet checks with Go `netip.ParseAddr`/`ParsePrefix` semantics (dotted quads
 * without leading zeros; IPv6 with `::` compression and an optional trailing dotted quad).
 * Written by hand because the core libraries import no Node networking module.
 */

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  let groups = 8;
  let body = s;
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(body.slice(lastColon + 1))) return false;
    body = `${body.slice(0, lastColon + 1)}0`;
    groups = 7;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const count = (h: string): number | undefined => {
    if (h === '') return 0;
    const g = h.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g.length : undefined;
  };
  const left = count(halves[0]);
  if (left === undefined) return false;
  if (halves.length === 1) return left === groups;
  const right = count(halves[1]);
  return right !== undefined && left + right < groups;
}

export function isIPAddress(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** Istio `ValidateIPSubnet`: an IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`). */
export function checkIPSubnet(subnet: string): string | undefined {
  const parts = subnet.split('/');
  if (parts.length === 2) {
    const max = isIPv4(parts[0]) ? 32 : isIPv6(parts[0]) ? 128 : -1;
    const bits = /^(?:0|[1-9]\d{0,2})$/.test(parts[1]) ? Number(parts[1]) : -1;
    if (max < 0 || bits < 0 || bits > max) return `${subnet} is not a valid CIDR block`;
    return undefined;
  }
  return isIPAddress(subnet) ? undefined : `${subnet} is not a valid IP`;
}

export function checkIPAddress(addr: string): string | undefined {
  return isIPAddress(addr) ? undefined : `${addr} is not a valid IP`;
}

export const UNIX_ADDRESS_PREFIX = 'unix://';

/** Istio `ValidateUnixAddress` (the part after `unix://`): an absolute file path or an abstract `@name` socket. */
export function checkUnixAddress(addr: string): string | undefined {
  if (addr.length === 0) return 'unix address must not be empty';
  if (addr.startsWith('@')) return undefined;
  if (!addr.startsWith('/') || addr.endsWith('/')) return `${addr} is not an absolute path to a file`;
  return undefined;
}
