type Result<T> = { ok: true; value: T } | { ok: false; error: string };

type Jwk = Record<string, unknown>;

/**
 * Checks a fetched JWKS (RFC 7517 §5: a JSON object whose `keys` is an array of JWKs, each with
 * `kty`). Istio refuses a refreshed key set that is not JSON and keeps the previous one; Pilot
 * also refuses one without keys, so a broken endpoint never replaces good keys.
 */
export function parseKeySet(text: string): Result<Jwk[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return { ok: false, error: 'no "keys" array of JWKs' };
  const bad = keys.findIndex((k) => typeof k !== 'object' || k === null || typeof (k as Jwk).kty !== 'string');
  if (bad >= 0) return { ok: false, error: `keys[${bad}]: a JWK needs a "kty"` };
  return { ok: true, value: keys as Jwk[] };
}

/**
 * Whether two key sets hold the same keys (Istio's `compareJWKSResponse`, which sorts by `kid`
 * and deep-compares): equal text, or the same JWKs in any order and formatting.
 */
export function sameKeySet(a: string, b: string): boolean {
  if (a === b) return true;
  const ka = parseKeySet(a);
  const kb = parseKeySet(b);
  if (!ka.ok || !kb.ok) return false;
  const canon = (keys: Jwk[]) => keys.map(canonical).sort().join('\n');
  return canon(ka.value) === canon(kb.value);
}

/** JSON with object keys sorted, so two equal JWKs serialise equally. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The `jwks_uri` of an OpenID Provider configuration document (OpenID Connect Discovery 1.0 §3,
 * REQUIRED), as Istio's `resolveJwksURIUsingOpenID` reads it: an http(s) URL string.
 */
export function jwksUriOf(discoveryDocument: string): Result<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(discoveryDocument);
  } catch (e) {
    return { ok: false, error: `openid-configuration is not JSON: ${(e as Error).message}` };
  }
  const uri = (doc as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof uri !== 'string' || !/^https?:\/\//i.test(uri)) return { ok: false, error: `invalid jwks_uri ${JSON.stringify(uri)} in openid-configuration` };
  return { ok: true, value: uri };
}
