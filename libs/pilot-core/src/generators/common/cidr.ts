import type { CidrRange } from '@mizzen/xds-types';

/**
 * An Istio address or subnet (`10.1.0.0/16`, `10.1.2.3`, `2001:db8::/64`) as an Envoy CidrRange; a
 * single address is a full-length prefix (/32, /128), as Istio's `util.ConvertAddressToCidr`.
 * Input is validated by Galley (`checkIPSubnet`), so only the family is inferred here.
 */
export function cidrRange(address: string): CidrRange {
  const [ip, len] = address.split('/');
  const full = ip.includes(':') ? 128 : 32;
  return { addressPrefix: ip, prefixLen: { value: len === undefined ? full : Number(len) } };
}

/** `a.b.c.d/len`, the key under which Envoy compares prefix ranges for duplicates. */
export const cidrKey = (r: CidrRange): string => `${r.addressPrefix}/${r.prefixLen?.value ?? 0}`;
