import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/** Claims Citadel puts in (and requires of) a bootstrap token (RFC 7519 4.1 registered + `ns`/`sa`). */
export interface TokenClaims {
  iss: string;
  aud: string;
  sub: string;
  ns: string;
  sa: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

export type JwtResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * A compact JWS with ES256 (RFC 7515, RFC 7518 3.4: ECDSA P-256 SHA-256, signature as the raw
 * 64-byte r||s, not DER).
 */
export function signJwtEs256(claims: TokenClaims, key: KeyObject, kid: string): string {
  const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
  const payload = b64url(JSON.stringify(claims));
  const sig = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${b64url(sig)}`;
}

/** The header's `kid` without verifying anything (to pick a verifier), or undefined. */
export function peekKid(token: string): string | undefined {
  const header = decodePart(token.split('.')[0] ?? '');
  return typeof header?.kid === 'string' ? header.kid : undefined;
}

/**
 * Verifies signature and algorithm only: `alg` must be exactly ES256 (never `none` or HS256 with a
 * public key as the secret, RFC 8725 3.1) and `kid` must name `key`. Claims are checked by the caller.
 */
export function verifyJwtEs256(token: string, key: KeyObject, kid: string): JwtResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a compact JWS' };
  const header = decodePart(parts[0]);
  if (!header) return { ok: false, reason: 'unreadable header' };
  if (header.alg !== 'ES256') return { ok: false, reason: `algorithm ${String(header.alg)} is not ES256` };
  if (header.kid !== kid) return { ok: false, reason: 'signed by an unknown key' };
  const sig = Buffer.from(parts[2], 'base64url');
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (sig.length !== 64 || !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)) {
    return { ok: false, reason: 'bad signature' };
  }
  const claims = decodePart(parts[1]);
  return claims ? { ok: true, claims } : { ok: false, reason: 'unreadable claims' };
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
