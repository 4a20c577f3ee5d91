import type { JWTRule } from '@mizzen/config-api';
import { parseDuration } from '@mizzen/config-api';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';

/**
 * OpenID Connect Discovery 1.0 §4: the provider's configuration is at the issuer with any
 * terminating `/` removed, plus this path. Istio's jwks_resolver appends it to the issuer as is.
 * https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export const OPENID_DISCOVERY_SUFFIX = '/.well-known/openid-configuration';

/** Istio's default wait for a JWKS fetch (jwks_resolver `jwksHTTPTimeOutInSec`; JWTRule `timeout`). */
export const DEFAULT_JWKS_TIMEOUT_MS = 5000;

/**
 * Where Pilot resolves a rule's key set (Istio's `JwksResolver.GetPublicKey(issuer, jwksUri)`):
 * `jwksUri` fetches `url` itself; `discovery` fetches the issuer's OpenID configuration at `url`
 * and then the document its `jwks_uri` names. `key` names the resolved key set in
 * {@link MeshSnapshot.resolvedJwks}: the URL Pilot fetches first.
 */
export interface JwksSource {
  key: string;
  kind: 'jwksUri' | 'discovery';
  url: string;
  /** The longest `timeout` of the rules sharing this source (default 5 s). */
  timeoutMs: number;
}

/**
 * The source Pilot resolves for one rule, or undefined when Pilot resolves nothing for it: an
 * inline `jwks` wins (Istio), a `jwksUri` is the proxy's to fetch in `envoy` mode
 * (PILOT_JWT_ENABLE_REMOTE_JWKS=true), and an issuer that is not an http(s) URL has no discovery
 * document (such a rule keeps a JWKS that verifies no token).
 */
export function jwksSourceOf(rule: JWTRule, fetchMode: 'istiod' | 'envoy' = 'istiod'): JwksSource | undefined {
  if (rule.jwks) return undefined;
  const timeoutMs = rule.timeout ? (parseDuration(rule.timeout) ?? DEFAULT_JWKS_TIMEOUT_MS) : DEFAULT_JWKS_TIMEOUT_MS;
  if (rule.jwksUri) return fetchMode === 'envoy' ? undefined : { key: rule.jwksUri, kind: 'jwksUri', url: rule.jwksUri, timeoutMs };
  if (!/^https?:\/\/[^/]/i.test(rule.issuer) || !URL.canParse(rule.issuer)) return undefined;
  const url = rule.issuer.replace(/\/+$/, '') + OPENID_DISCOVERY_SUFFIX;
  return { key: url, kind: 'discovery', url, timeoutMs };
}

/**
 * Every source the RequestAuthentications of a snapshot need Pilot to resolve, one per key,
 * sorted by key. Policies bound with `targetRef(s)` apply to no proxy here, so they are skipped.
 */
export function jwksSources(snapshot: MeshSnapshot): JwksSource[] {
  const byKey = new Map<string, JwksSource>();
  for (const ra of snapshot.configsOfKind('RequestAuthentication')) {
    if (ra.spec.targetRef || ra.spec.targetRefs?.length) continue;
    for (const rule of ra.spec.jwtRules ?? []) {
      const s = jwksSourceOf(rule, snapshot.mesh.jwksFetchMode);
      if (!s) continue;
      const seen = byKey.get(s.key);
      if (!seen || seen.timeoutMs < s.timeoutMs) byKey.set(s.key, s);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
