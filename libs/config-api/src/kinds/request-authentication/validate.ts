import { checkMatchHeaderName } from '../../common/checks/headers';
import { validatePolicyTargets } from '../../common/validate/policy-target';
import type { Diagnostics } from '../../core/diagnostics';
import { isPlainObject } from '../../core/json-values';
import type { ConfigResource } from '../../core/types';
import type { JWTRule, RequestAuthenticationSpec } from './types';

/**
 * Istio `ValidateRequestAuthentication` / `validateJwtRule` (pkg/config/validation) with field
 * paths: issuer set, no empty audiences/locations, an http(s) jwksUri, a parseable inline JWKS,
 * valid claim-to-header names. https://istio.io/latest/docs/reference/config/security/jwt/
 */
export function validateRequestAuthentication(ra: ConfigResource<'RequestAuthentication', RequestAuthenticationSpec>, d: Diagnostics): void {
  validatePolicyTargets(d, ra.spec, ra.metadata.namespace);
  const issuers = new Map<string, number>();
  (ra.spec.jwtRules ?? []).forEach((rule, i) => {
    const path = `spec.jwtRules[${i}]`;
    validateJwtRule(d, path, rule);
    const prev = issuers.get(rule.issuer);
    if (prev !== undefined && rule.issuer) d.warn(`${path}.issuer`, `issuer ${JSON.stringify(rule.issuer)} is also used by spec.jwtRules[${prev}]; both providers are tried`);
    issuers.set(rule.issuer, i);
  });
}

function validateJwtRule(d: Diagnostics, path: string, rule: JWTRule): void {
  if (rule.issuer === '') d.error(`${path}.issuer`, 'issuer must be set');
  (rule.audiences ?? []).forEach((a, j) => a === '' && d.error(`${path}.audiences[${j}]`, 'audience must be non-empty string'));
  if (rule.jwksUri !== undefined && rule.jwksUri !== '') d.errorIf(`${path}.jwksUri`, checkJwksUri(rule.jwksUri));
  if (rule.jwks !== undefined && rule.jwks !== '') d.errorIf(`${path}.jwks`, checkJwks(rule.jwks));
  if (rule.jwks && rule.jwksUri) d.warn(`${path}.jwksUri`, 'jwks and jwksUri are both set; the inline jwks is used');
  (rule.fromHeaders ?? []).forEach((h, j) => h.name === '' && d.error(`${path}.fromHeaders[${j}].name`, 'location header name must be non-empty string'));
  (rule.fromParams ?? []).forEach((p, j) => p === '' && d.error(`${path}.fromParams[${j}]`, 'location query must be non-empty string'));
  (rule.fromCookies ?? []).forEach((c, j) => c === '' && d.error(`${path}.fromCookies[${j}]`, 'cookie name must be non-empty string'));
  (rule.outputClaimToHeaders ?? []).forEach((c, j) => {
    const at = `${path}.outputClaimToHeaders[${j}]`;
    if (c.header === '') d.error(`${at}.header`, 'outputClaimToHeaders header and claim value must be non-empty string');
    else d.errorIf(`${at}.header`, checkMatchHeaderName(c.header));
    if (c.claim === '') d.error(`${at}.claim`, 'outputClaimToHeaders header and claim value must be non-empty string');
  });
}

/** Istio `security.ParseJwksURI`: an absolute http or https URL with a host and a valid port. */
function checkJwksUri(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `invalid jwksUri ${JSON.stringify(uri)}: not a URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `URI scheme ${JSON.stringify(u.protocol.replace(/:$/, ''))} is not supported`;
  if (!u.hostname) return `invalid jwksUri ${JSON.stringify(uri)}: missing host`;
  return undefined;
}

/** Istio parses inline JWKS with `jwk.Parse`: a JSON JWK Set (`{"keys": [...]}`) whose keys carry `kty`. */
function checkJwks(jwks: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch (e) {
    return `jwks parse error: ${(e as Error).message}`;
  }
  if (!isPlainObject(parsed) || !Array.isArray(parsed.keys)) return 'jwks parse error: expected a JSON object with a "keys" array';
  const bad = parsed.keys.findIndex((k) => !isPlainObject(k) || typeof k.kty !== 'string');
  return bad >= 0 ? `jwks parse error: keys[${bad}] has no "kty"` : undefined;
}
