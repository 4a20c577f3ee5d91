import type { JWTRule } from '@mizzen/config-api';
import { parseDuration } from '@mizzen/config-api';
import type { ProxyNode } from '@mizzen/mesh-model';
import { FilterName, TypeUrl } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { JWT_PAYLOAD_KEY } from './attribute-generators';
import type { JwtAuthnFilter, JwtProvider, JwtRequirement } from './envoy-types';
import { DEFAULT_JWKS_TIMEOUT_MS, jwksSourceOf } from './jwks-sources';
import { policiesForWorkload } from './policy-selection';

/**
 * A JWKS that verifies no token, so every token presented for the issuer is rejected (401), as
 * Istio's `CreateFakeJwks` does when istiod has no key set: a rule with neither `jwks` nor a key
 * set Pilot resolved (never fetched, every fetch failed, or an issuer without OpenID discovery).
 */
export const REJECT_ALL_JWKS = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'mizzen-unresolved', alg: 'RS256', e: 'AQAB', n: 'u'.repeat(342) }] });

const toDuration = (ms: number): { seconds: number; nanos?: number } => {
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms % 1000) * 1e6;
  return nanos ? { seconds, nanos } : { seconds };
};

/** `https://host[:port]/path` -> Istio's cluster name for it, `outbound|<port>||<host>`. */
export function jwksCluster(uri: string): string {
  const u = new URL(uri);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return `outbound|${port}||${u.hostname}`;
}

/**
 * The provider's key source, Istio's `convertToEnvoyJwtConfig`: inline `jwks` as is; a `jwksUri`
 * as `remote_jwks` when the proxy fetches (`envoy` mode); otherwise the key set Pilot resolved
 * (jwksUri or OpenID discovery, input {@link MeshSnapshot.resolvedJwks}) inline, or
 * {@link REJECT_ALL_JWKS} while Pilot has none.
 */
function jwksSource(snapshot: MeshSnapshot, rule: JWTRule): Pick<JwtProvider, 'remoteJwks' | 'localJwks'> {
  if (rule.jwks) return { localJwks: { inlineString: rule.jwks } };
  const mode = snapshot.mesh.jwksFetchMode ?? 'istiod';
  if (rule.jwksUri && mode === 'envoy') {
    const timeout = toDuration(rule.timeout ? (parseDuration(rule.timeout) ?? DEFAULT_JWKS_TIMEOUT_MS) : DEFAULT_JWKS_TIMEOUT_MS);
    return { remoteJwks: { httpUri: { uri: rule.jwksUri, cluster: jwksCluster(rule.jwksUri), timeout }, cacheDuration: { seconds: 300 } } };
  }
  const source = jwksSourceOf(rule, mode);
  return { localJwks: { inlineString: (source && snapshot.resolvedJwks(source.key)) ?? REJECT_ALL_JWKS } };
}

/** Istio `convertToEnvoyJwtConfig`: one provider per rule (`origins-<i>`). */
function provider(snapshot: MeshSnapshot, rule: JWTRule): JwtProvider {
  const claims = [...new Set([...(rule.spaceDelimitedClaims ?? []), 'permission', 'scope'])].sort();
  const jwks = jwksSource(snapshot, rule);
  return {
    issuer: rule.issuer,
    ...(rule.audiences?.length ? { audiences: rule.audiences } : {}),
    ...(rule.forwardOriginalToken ? { forward: true } : {}),
    ...(rule.outputPayloadToHeader ? { forwardPayloadHeader: rule.outputPayloadToHeader } : {}),
    payloadInMetadata: JWT_PAYLOAD_KEY,
    normalizePayloadInMetadata: { spaceDelimitedClaims: claims },
    ...(rule.outputClaimToHeaders?.length ? { claimToHeaders: rule.outputClaimToHeaders.map((c) => ({ headerName: c.header, claimName: c.claim })) } : {}),
    ...(rule.fromHeaders?.length ? { fromHeaders: rule.fromHeaders.map((h) => ({ name: h.name, ...(h.prefix ? { valuePrefix: h.prefix } : {}) })) } : {}),
    ...(rule.fromParams?.length ? { fromParams: rule.fromParams } : {}),
    ...(rule.fromCookies?.length ? { fromCookies: rule.fromCookies } : {}),
    ...jwks,
  };
}

/**
 * The jwt_authn filter for the RequestAuthentications that apply to a workload, or undefined
 * when none has rules. Istio's requirement: for each provider `(provider OR allow_missing)`, all
 * ANDed, so a missing token passes (no request principal) and a present but invalid token fails
 * with 401; with several providers the AND is ORed with each provider alone, because providers
 * reading the same header would otherwise always fail each other's check.
 * https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export function jwtAuthnFilter(snapshot: MeshSnapshot, proxy: ProxyNode): JwtAuthnFilter | undefined {
  const rules = policiesForWorkload(snapshot, 'RequestAuthentication', proxy)
    .flatMap((ra) => ra.spec.jwtRules ?? [])
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.issuer < b.r.issuer ? -1 : a.r.issuer > b.r.issuer ? 1 : a.i - b.i))
    .map(({ r }) => r);
  if (rules.length === 0) return undefined;
  const providers: Record<string, JwtProvider> = {};
  const inner: JwtRequirement[] = [];
  const outer: JwtRequirement[] = [];
  rules.forEach((rule, i) => {
    const name = `origins-${i}`;
    providers[name] = provider(snapshot, rule);
    inner.push({ requiresAny: { requirements: [{ providerName: name }, { allowMissing: {} }] } });
    outer.push({ providerName: name });
  });
  const requires: JwtRequirement = inner.length === 1 ? inner[0] : { requiresAny: { requirements: [...outer, { requiresAll: { requirements: inner } }] } };
  return {
    name: FilterName.JwtAuthn,
    typedConfig: { '@type': TypeUrl.JwtAuthentication, providers, rules: [{ match: { prefix: '/' }, requires }], bypassCorsPreflight: true },
  };
}
