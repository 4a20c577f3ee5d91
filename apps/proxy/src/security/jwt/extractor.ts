import type { JwtProviderConfig } from '../../config/model';
import type { HeaderMap } from '../../http/headers';
import { splitPath } from '../../routing';

/** A token found in the request, with where it came from (a header token can be removed). */
export interface ExtractedToken {
  token: string;
  /** Lower-cased header name when the token came from a header. */
  header?: string;
  /** Issuers of the providers that read this location ('' = a provider without issuer). */
  issuers: ReadonlySet<string>;
}

/** Base64url characters and `.`: what a JWT is made of. */
const JWT_CHARS = /[A-Za-z0-9_.-]/;

/**
 * Envoy's extractJWT: after the value prefix, skip to the first JWT character and take the run of
 * JWT characters from there (`Bearer  abc.def.ghi, other` -> `abc.def.ghi`).
 */
function afterPrefix(value: string, from: number): string {
  let start = from;
  while (start < value.length && !JWT_CHARS.test(value[start])) start++;
  if (start >= value.length) return value;
  let end = start;
  while (end < value.length && JWT_CHARS.test(value[end])) end++;
  return value.slice(start, end);
}

function headerValues(headers: HeaderMap, name: string): string[] {
  const v = headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function cookies(headers: HeaderMap): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of headerValues(headers, 'cookie')) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const k = part.slice(0, eq).trim();
      if (!out.has(k)) out.set(k, part.slice(eq + 1).trim());
    }
  }
  return out;
}

interface Locations {
  headers: Map<string, { name: string; prefix: string; issuers: Set<string> }>;
  params: Map<string, Set<string>>;
  cookies: Map<string, Set<string>>;
}

/** Without from_headers / from_params / from_cookies: `Authorization: Bearer <jwt>`, then `?access_token=`. */
function locationsOf(providers: readonly JwtProviderConfig[]): Locations {
  const loc: Locations = { headers: new Map(), params: new Map(), cookies: new Map() };
  const add = (m: Map<string, Set<string>>, k: string, iss: string): void => void (m.get(k) ?? m.set(k, new Set()).get(k))?.add(iss);
  for (const p of providers) {
    const defaults = !p.fromHeaders.length && !p.fromParams.length && !p.fromCookies.length;
    const hs = defaults ? [{ name: 'authorization', valuePrefix: 'Bearer ' }] : p.fromHeaders;
    for (const h of hs) {
      const key = `${h.name}\u0000${h.valuePrefix}`;
      const e = loc.headers.get(key) ?? { name: h.name, prefix: h.valuePrefix, issuers: new Set<string>() };
      e.issuers.add(p.issuer);
      loc.headers.set(key, e);
    }
    for (const q of defaults ? ['access_token'] : p.fromParams) add(loc.params, q, p.issuer);
    for (const c of p.fromCookies) add(loc.cookies, c, p.issuer);
  }
  return loc;
}

/**
 * Envoy's Extractor for one provider (or, for allow_missing requirements, several): tokens from
 * the configured headers (all values, after `value_prefix`), query parameters (first value) and
 * cookies, in that order.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/jwt_authn/v3/config.proto#envoy-v3-api-field-extensions-filters-http-jwt-authn-v3-jwtprovider-from-headers
 */
export function extractTokens(providers: readonly JwtProviderConfig[], headers: HeaderMap, path: string): ExtractedToken[] {
  const loc = locationsOf(providers);
  const out: ExtractedToken[] = [];
  for (const h of loc.headers.values()) {
    for (const value of headerValues(headers, h.name)) {
      if (!h.prefix) {
        out.push({ token: value, header: h.name, issuers: h.issuers });
        continue;
      }
      const at = value.indexOf(h.prefix);
      if (at >= 0) out.push({ token: afterPrefix(value, at + h.prefix.length), header: h.name, issuers: h.issuers });
    }
  }
  if (loc.params.size) {
    const params = new URLSearchParams(splitPath(path).query);
    for (const [name, issuers] of loc.params) {
      const v = params.get(name);
      if (v !== null) out.push({ token: v, issuers });
    }
  }
  if (loc.cookies.size) {
    const jar = cookies(headers);
    for (const [name, issuers] of loc.cookies) {
      const v = jar.get(name);
      if (v !== undefined) out.push({ token: v, issuers });
    }
  }
  return out;
}

/** Headers a provider writes (payload and claim headers): removed from incoming requests first. */
export function sanitizePayloadHeaders(providers: readonly JwtProviderConfig[], headers: HeaderMap): void {
  for (const p of providers) {
    if (p.forwardPayloadHeader) delete headers[p.forwardPayloadHeader];
    for (const c of p.claimToHeaders) delete headers[c.header];
  }
}

/** A token's location accepts its issuer when some provider reading it has that issuer or none. */
export function issuerAllowed(t: ExtractedToken, iss: string): boolean {
  return t.issuers.has(iss) || t.issuers.has('');
}
