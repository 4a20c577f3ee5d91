import { type KeyObject, createPublicKey, createSecretKey } from 'node:crypto';
import { JwtStatus } from './status';

/** One usable key of a JWKS. */
export interface Jwk {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  kid?: string;
  alg?: string;
  /** EC / OKP curve (`P-256`, `Ed25519`, ...). */
  crv?: string;
  key: KeyObject;
}

export type JwksResult = { status: typeof JwtStatus.Ok; keys: Jwk[] } | { status: Exclude<JwtStatus, typeof JwtStatus.Ok> };

const CURVES = ['P-256', 'P-384', 'P-521'];

function toKey(k: Record<string, unknown>): Jwk | undefined {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const kid = str(k.kid);
  const alg = str(k.alg);
  try {
    switch (k.kty) {
      case 'RSA':
        if (!str(k.n) || !str(k.e)) return undefined;
        return { kty: 'RSA', kid, alg, key: createPublicKey({ key: { kty: 'RSA', n: k.n as string, e: k.e as string }, format: 'jwk' }) };
      case 'EC':
        if (!CURVES.includes(str(k.crv) ?? '') || !str(k.x) || !str(k.y)) return undefined;
        return { kty: 'EC', kid, alg, crv: k.crv as string, key: createPublicKey({ key: { kty: 'EC', crv: k.crv as string, x: k.x as string, y: k.y as string }, format: 'jwk' }) };
      case 'OKP':
        if (k.crv !== 'Ed25519' || !str(k.x)) return undefined;
        return { kty: 'OKP', kid, alg, crv: 'Ed25519', key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.x as string }, format: 'jwk' }) };
      case 'oct':
        if (!str(k.k)) return undefined;
        return { kty: 'oct', kid, alg, key: createSecretKey(Buffer.from(k.k as string, 'base64url')) };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Parses a JWKS (RFC 7517) as jwt_verify_lib does: keys of unsupported types or with bad
 * material are skipped; a set without one usable key is invalid.
 */
export function parseJwks(text: string): JwksResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { status: JwtStatus.JwksParseError };
  }
  if (doc === null || typeof doc !== 'object' || !('keys' in doc)) return { status: JwtStatus.JwksNoKeys };
  const list = (doc as { keys: unknown }).keys;
  if (!Array.isArray(list)) return { status: JwtStatus.JwksBadKeys };
  const keys = list.flatMap((k) => (k && typeof k === 'object' ? [toKey(k as Record<string, unknown>)].filter((x): x is Jwk => !!x) : []));
  return keys.length ? { status: JwtStatus.Ok, keys } : { status: JwtStatus.JwksNoValidKeys };
}
