import type { CidrRange, HeaderMatcher, StringMatcher } from '@mizzen/xds-types';

/**
 * Istio's value syntax for AuthorizationPolicy (exact, `prefix*`, `*suffix`, `*` = present) turned
 * into Envoy matchers, as `pilot/pkg/security/authz/matcher` does. Envoy rejects empty
 * prefix/suffix strings, so `*` is checked first.
 */
export function regexMatcher(regex: string): StringMatcher {
  return { safeRegex: { regex } };
}

/** Istio `StringMatcherWithPrefix`: `prefix` is prepended (e.g. `spiffe://` for principals). */
export function stringMatcherWithPrefix(v: string, prefix: string, ignoreCase = false): StringMatcher {
  const ic = ignoreCase ? { ignoreCase: true } : {};
  if (v === '*') return regexMatcher('.+');
  if (v.startsWith('*')) return prefix === '' ? { suffix: v.slice(1), ...ic } : regexMatcher(`${prefix}.*${quoteMeta(v.slice(1))}`);
  if (v.endsWith('*')) return { prefix: prefix + v.slice(0, -1), ...ic };
  return { exact: prefix + v, ...ic };
}

export function stringMatcher(v: string): StringMatcher {
  return stringMatcherWithPrefix(v, '');
}

/** Istio `HeaderMatcher` (methods, request.headers[...]): `*` means the header is present. */
export function headerMatcher(name: string, v: string): HeaderMatcher {
  if (v === '*') return { name, presentMatch: true };
  if (v.startsWith('*')) return { name, stringMatch: { suffix: v.slice(1) } };
  if (v.endsWith('*')) return { name, stringMatch: { prefix: v.slice(0, -1) } };
  return { name, stringMatch: { exact: v } };
}

/** Istio `HostMatcher`: like headerMatcher on `:authority`, case-insensitive. */
export function hostMatcher(v: string): HeaderMatcher {
  const name = ':authority';
  if (v === '*') return { name, presentMatch: true };
  if (v.startsWith('*')) return { name, stringMatch: { suffix: v.slice(1), ignoreCase: true } };
  if (v.endsWith('*')) return { name, stringMatch: { prefix: v.slice(0, -1), ignoreCase: true } };
  return { name, stringMatch: { exact: v, ignoreCase: true } };
}

/** Istio `util.AddrStrToCidrRange`: `10.0.0.1` -> /32, `::1` -> /128, `10.0.0.0/8` as given. */
export function cidrRange(value: string): CidrRange {
  const [addr, len] = value.split('/');
  const max = addr.includes(':') ? 128 : 32;
  return { addressPrefix: addr, prefixLen: { value: len === undefined ? max : Number(len) } };
}

/** Go `regexp.QuoteMeta`. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
