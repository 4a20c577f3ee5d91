import { constants, createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { Jwk } from './jwks';
import { JwtStatus } from './status';

/** A JWT split and decoded (not yet verified). */
export interface ParsedJwt {
  alg: string;
  kid?: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The base64url payload segment as received (forward_payload_header). */
  payloadB64: string;
  iss: string;
  sub: string;
  audiences: string[];
  exp: number;
  nbf: number;
  signingInput: string;
  signature: Buffer;
}

/** The algorithms Envoy's jwt_authn supports. */
const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA'];

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeJson(seg: string): Record<string, unknown> | 'base64' | 'json' {
  if (!B64URL.test(seg)) return 'base64';
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'json';
  } catch {
    return 'json';
  }
}

/** exp / nbf / iat must be integers when present (0 when absent). */
function intClaim(p: Record<string, unknown>, name: string): number | undefined {
  const v = p[name];
  if (v === undefined) return 0;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** jwt_verify_lib's Jwt::parseFromString: structure, header, payload claims and signature encoding. */
export function parseJwt(token: string): ParsedJwt | JwtStatus {
  const parts = token.split('.');
  if (parts.length !== 3) return JwtStatus.JwtBadFormat;
  const [h, p, s] = parts;
  const header = decodeJson(h);
  if (header === 'base64') return JwtStatus.JwtHeaderParseErrorBadBase64;
  if (header === 'json') return JwtStatus.JwtHeaderParseErrorBadJson;
  if (typeof header.alg !== 'string') return JwtStatus.JwtHeaderBadAlg;
  if (!ALGS.includes(header.alg)) return JwtStatus.JwtHeaderNotImplementedAlg;
  if (header.kid !== undefined && typeof header.kid !== 'string') return JwtStatus.JwtHeaderBadKid;
  const payload = decodeJson(p);
  if (payload === 'base64') return JwtStatus.JwtPayloadParseErrorBadBase64;
  if (payload === 'json') return JwtStatus.JwtPayloadParseErrorBadJson;
  if (payload.iss !== undefined && typeof payload.iss !== 'string') return JwtStatus.JwtPayloadParseErrorIssNotString;
  if (payload.sub !== undefined && typeof payload.sub !== 'string') return JwtStatus.JwtPayloadParseErrorSubNotString;
  const aud = payload.aud;
  const audiences = aud === undefined ? [] : typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
  if (!audiences) return JwtStatus.JwtPayloadParseErrorAudNotString;
  const exp = intClaim(payload, 'exp');
  const nbf = intClaim(payload, 'nbf');
  if (intClaim(payload, 'iat') === undefined) return JwtStatus.JwtPayloadParseErrorIatNotInteger;
  if (nbf === undefined) return JwtStatus.JwtPayloadParseErrorNbfNotInteger;
  if (exp === undefined) return JwtStatus.JwtPayloadParseErrorExpNotInteger;
  if (!B64URL.test(s)) return JwtStatus.JwtSignatureParseErrorBadBase64;
  return {
    alg: header.alg,
    kid: header.kid as string | undefined,
    header,
    payload,
    payloadB64: p,
    iss: (payload.iss as string | undefined) ?? '',
    sub: (payload.sub as string | undefined) ?? '',
    audiences,
    exp,
    nbf,
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

/** Jwt::verifyTimeConstraint: nbf and exp with a clock skew, in seconds. */
export function checkTime(jwt: ParsedJwt, nowSeconds: number, skewSeconds: number): JwtStatus {
  if (nowSeconds + skewSeconds < jwt.nbf) return JwtStatus.JwtNotYetValid;
  if (jwt.exp && nowSeconds > jwt.exp + skewSeconds) return JwtStatus.JwtExpired;
  return JwtStatus.Ok;
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const EC_CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** Whether `key` can verify `alg`: the key type (and EC curve) must fit the algorithm. */
function fits(key: Jwk, alg: string): boolean {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.kty === 'RSA';
  if (alg.startsWith('ES')) return key.kty === 'EC' && key.crv === EC_CURVE[alg];
  if (alg.startsWith('HS')) return key.kty === 'oct';
  return alg === 'EdDSA' && key.kty === 'OKP';
}

function verifyWith(key: Jwk, jwt: ParsedJwt): boolean {
  const data = Buffer.from(jwt.signingInput);
  const hash = HASH[jwt.alg.slice(2)];
  try {
    if (jwt.alg === 'EdDSA') return verify(null, data, key.key, jwt.signature);
    if (jwt.alg.startsWith('HS')) {
      const mac = createHmac(hash, key.key).update(data).digest();
      return mac.length === jwt.signature.length && timingSafeEqual(mac, jwt.signature);
    }
    if (jwt.alg.startsWith('ES')) return verify(hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    const padding = jwt.alg.startsWith('PS') ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
    return verify(hash, data, { key: key.key, padding, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature);
  } catch {
    return false;
  }
}

/**
 * jwt_verify_lib's verifyJwtWithoutTimeChecking: keys whose `kid` differs from the token's (both
 * set) or whose `alg` differs are skipped; any remaining key of the algorithm's type that verifies
 * wins. Some key tried but
 * none verified: JwtVerificationFail; none tried: JwksKidAlgMismatch.
 */
export function verifySignature(jwt: ParsedJwt, keys: readonly Jwk[]): JwtStatus {
  let tried = false;
  for (const key of keys) {
    if (jwt.kid && key.kid && key.kid !== jwt.kid) continue;
    if (key.alg && key.alg !== jwt.alg) continue;
    tried = true;
    if (fits(key, jwt.alg) && verifyWith(key, jwt)) return JwtStatus.Ok;
  }
  return tried ? JwtStatus.JwtVerificationFail : JwtStatus.JwksKidAlgMismatch;
}
