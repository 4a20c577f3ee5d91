import type * as xds from '@mizzen/xds-types';
import type { HeaderMatcher, JwksSource, JwtAuthnConfig, JwtProviderConfig, JwtRequirement, JwtRuleConfig, PathMatch, QueryParameterMatcher, RouteMatch } from '../model';
import { type Issues, at } from './issues';
import { compileRe2, durationMs, headerMatcher, stringMatcher } from './primitives';
import { onlyFields } from './rbac';
import { parseJwks } from '../../security/jwt/jwks';
import { JwtStatus } from '../../security/jwt/status';

type Body = Record<string, unknown>;

const PROVIDER_FIELDS = [
  'issuer',
  'audiences',
  'remoteJwks',
  'localJwks',
  'forward',
  'fromHeaders',
  'fromParams',
  'fromCookies',
  'forwardPayloadHeader',
  'padForwardPayloadHeader',
  'payloadInMetadata',
  'normalizePayloadInMetadata',
  'headerInMetadata',
  'clockSkewSeconds',
  'claimToHeaders',
  'clearRouteCache',
];

/** Envoy's jwks cache default (remote_jwks.cache_duration unset): 5 minutes. */
const DEFAULT_JWKS_CACHE_MS = 300_000;

function jwksSource(p: Body, path: string, issues: Issues): JwksSource {
  if ((p.remoteJwks === undefined) === (p.localJwks === undefined)) issues.error(path, 'exactly one of remoteJwks, localJwks is required');
  if (p.localJwks) {
    const l = p.localJwks as { inlineString?: string; inlineBytes?: string };
    const lp = at(path, 'localJwks');
    onlyFields(l, ['inlineString', 'inlineBytes'], lp, issues);
    const text = l.inlineString ?? (l.inlineBytes !== undefined ? Buffer.from(l.inlineBytes, 'base64').toString('utf8') : undefined);
    if (text === undefined) issues.error(lp, 'only inline JWKS (inlineString, inlineBytes) are supported');
    // Envoy accepts an invalid inline JWKS with a warning; tokens for that provider then fail.
    else if (parseJwks(text).status !== JwtStatus.Ok) issues.warn(lp, 'invalid JWKS: no token of this provider can verify');
    return { kind: 'local', jwks: text ?? '' };
  }
  const r = (p.remoteJwks ?? {}) as { httpUri?: { uri?: string; cluster?: string; timeout?: xds.Duration }; cacheDuration?: xds.Duration; asyncFetch?: unknown; retryPolicy?: unknown };
  const rp = at(path, 'remoteJwks');
  onlyFields(r, ['httpUri', 'cacheDuration'], rp, issues);
  const u = r.httpUri ?? {};
  onlyFields(u, ['uri', 'cluster', 'timeout'], at(rp, 'httpUri'), issues);
  if (!u.uri) issues.error(at(rp, 'httpUri.uri'), 'is required');
  else if (!/^https?:\/\//i.test(u.uri)) issues.error(at(rp, 'httpUri.uri'), `"${u.uri}" is not an http(s) URL`);
  if (!u.cluster) issues.error(at(rp, 'httpUri.cluster'), 'is required');
  if (!u.timeout) issues.error(at(rp, 'httpUri.timeout'), 'is required');
  return {
    kind: 'remote',
    uri: u.uri ?? '',
    cluster: u.cluster ?? '',
    timeoutMs: durationMs(u.timeout, at(rp, 'httpUri.timeout'), issues, 0),
    cacheDurationMs: durationMs(r.cacheDuration, at(rp, 'cacheDuration'), issues, DEFAULT_JWKS_CACHE_MS),
  };
}

function lowerNames(list: unknown, path: string, issues: Issues): string[] {
  return ((list as string[] | undefined) ?? []).map((n, i) => {
    if (!n) issues.error(at(path, i), 'must not be empty');
    return n;
  });
}

/** envoy.extensions.filters.http.jwt_authn.v3.JwtProvider. */
function provider(name: string, p: Body, path: string, issues: Issues): JwtProviderConfig {
  onlyFields(p, PROVIDER_FIELDS, path, issues);
  const fromHeaders = ((p.fromHeaders as Array<{ name?: string; valuePrefix?: string }> | undefined) ?? []).map((h, i) => {
    onlyFields(h, ['name', 'valuePrefix'], at(at(path, 'fromHeaders'), i), issues);
    if (!h.name) issues.error(at(at(at(path, 'fromHeaders'), i), 'name'), 'is required');
    return { name: (h.name ?? '').toLowerCase(), valuePrefix: h.valuePrefix ?? '' };
  });
  const claimToHeaders = ((p.claimToHeaders as Array<{ headerName?: string; claimName?: string }> | undefined) ?? []).map((c, i) => {
    const cp = at(at(path, 'claimToHeaders'), i);
    onlyFields(c, ['headerName', 'claimName'], cp, issues);
    if (!c.headerName) issues.error(at(cp, 'headerName'), 'is required');
    if (!c.claimName) issues.error(at(cp, 'claimName'), 'is required');
    return { header: (c.headerName ?? '').toLowerCase(), claim: c.claimName ?? '' };
  });
  const normalize = (p.normalizePayloadInMetadata ?? {}) as { spaceDelimitedClaims?: string[] };
  onlyFields(normalize, ['spaceDelimitedClaims'], at(path, 'normalizePayloadInMetadata'), issues);
  const skew = Number(p.clockSkewSeconds ?? 0);
  return {
    name,
    issuer: (p.issuer as string | undefined) ?? '',
    audiences: (p.audiences as string[] | undefined) ?? [],
    jwks: jwksSource(p, path, issues),
    forward: p.forward === true,
    forwardPayloadHeader: ((p.forwardPayloadHeader as string | undefined) || undefined)?.toLowerCase(),
    padForwardPayloadHeader: p.padForwardPayloadHeader === true,
    payloadInMetadata: (p.payloadInMetadata as string | undefined) || undefined,
    headerInMetadata: (p.headerInMetadata as string | undefined) || undefined,
    spaceDelimitedClaims: normalize.spaceDelimitedClaims ?? [],
    claimToHeaders,
    fromHeaders,
    fromParams: lowerNames(p.fromParams, at(path, 'fromParams'), issues),
    fromCookies: lowerNames(p.fromCookies, at(path, 'fromCookies'), issues),
    // jwt_verify_lib's default clock skew.
    clockSkewSeconds: skew > 0 ? skew : 60,
    clearRouteCache: p.clearRouteCache === true,
  };
}

const REQUIREMENT_KEYS = ['providerName', 'providerAndAudiences', 'requiresAny', 'requiresAll', 'allowMissingOrFailed', 'allowMissing'];

/** JwtRequirement; every provider it names must exist (Envoy rejects the config otherwise). */
function requirement(r: Body | undefined, providers: Readonly<Record<string, unknown>>, path: string, issues: Issues): JwtRequirement {
  const o = r ?? {};
  onlyFields(o, REQUIREMENT_KEYS, path, issues);
  const set = REQUIREMENT_KEYS.filter((k) => o[k] !== undefined);
  if (set.length > 1) issues.error(path, `only one of ${set.join(', ')} may be set`);
  const known = (name: string, p: string): void => {
    if (!Object.hasOwn(providers, name)) issues.error(p, `required provider "${name}" is not configured`);
  };
  if (o.providerName !== undefined) {
    known(o.providerName as string, at(path, 'providerName'));
    return { kind: 'provider', provider: o.providerName as string };
  }
  if (o.providerAndAudiences) {
    const pa = o.providerAndAudiences as { providerName?: string; audiences?: string[] };
    onlyFields(pa, ['providerName', 'audiences'], at(path, 'providerAndAudiences'), issues);
    known(pa.providerName ?? '', at(path, 'providerAndAudiences.providerName'));
    return { kind: 'provider', provider: pa.providerName ?? '', audiences: pa.audiences ?? [] };
  }
  for (const k of ['requiresAny', 'requiresAll'] as const) {
    if (!o[k]) continue;
    const list = (o[k] as { requirements?: Body[] }).requirements ?? [];
    const lp = at(at(path, k), 'requirements');
    if (list.length < 2) issues.error(lp, 'at least 2 requirements are required');
    return { kind: k === 'requiresAny' ? 'any' : 'all', requirements: list.map((x, i) => requirement(x, providers, at(lp, i), issues)) };
  }
  if (o.allowMissingOrFailed) return { kind: 'allow-missing-or-failed' };
  if (o.allowMissing) return { kind: 'allow-missing' };
  return { kind: 'none' };
}

function pathMatch(m: Body, path: string, issues: Issues): PathMatch | undefined {
  const set = (['prefix', 'path', 'safeRegex', 'pathSeparatedPrefix'] as const).filter((k) => m[k] !== undefined);
  if (set.length !== 1) {
    issues.error(path, set.length ? `only one of ${set.join(', ')} may be set` : 'one of prefix, path, safeRegex, pathSeparatedPrefix is required');
    return undefined;
  }
  const caseSensitive = (m.caseSensitive as xds.BoolValue | undefined)?.value ?? true;
  if (m.safeRegex) {
    const regex = compileRe2((m.safeRegex as { regex: string }).regex, at(path, 'safeRegex.regex'), issues);
    return regex && { kind: 'regex', regex };
  }
  const kind = set[0] === 'path' ? 'exact' : set[0] === 'pathSeparatedPrefix' ? 'separated-prefix' : 'prefix';
  return { kind, value: m[set[0]] as string, caseSensitive };
}

/** RequirementRule.match: a RouteMatch (path, headers, query parameters). */
function ruleMatch(m: Body | undefined, path: string, issues: Issues): RouteMatch | undefined {
  const o = m ?? {};
  onlyFields(o, ['prefix', 'path', 'safeRegex', 'pathSeparatedPrefix', 'caseSensitive', 'headers', 'queryParameters'], path, issues);
  const p = pathMatch(o, path, issues);
  const headers: HeaderMatcher[] = [];
  ((o.headers as xds.HeaderMatcher[] | undefined) ?? []).forEach((h, i) => {
    const v = headerMatcher(h, at(at(path, 'headers'), i), issues);
    if (v) headers.push(v);
  });
  const query: QueryParameterMatcher[] = [];
  ((o.queryParameters as Array<{ name: string; stringMatch?: xds.StringMatcher; presentMatch?: boolean }> | undefined) ?? []).forEach((q, i) => {
    const qp = at(at(path, 'queryParameters'), i);
    onlyFields(q, ['name', 'stringMatch', 'presentMatch'], qp, issues);
    query.push({ name: q.name, matcher: q.stringMatch ? stringMatcher(q.stringMatch, at(qp, 'stringMatch'), issues) : undefined });
  });
  return p && { path: p, headers, query };
}

/**
 * envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication: providers, rules (route match ->
 * requirement; the first matching rule applies, none: no JWT check) and bypass_cors_preflight.
 * `requirement_map`, `filter_state_rules` and stripping failure responses are rejected.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/jwt_authn/v3/config.proto
 */
export function jwtAuthn(b: Body, path: string, issues: Issues): JwtAuthnConfig {
  onlyFields(b, ['providers', 'rules', 'bypassCorsPreflight'], path, issues);
  const providers: Record<string, JwtProviderConfig> = {};
  for (const [name, p] of Object.entries((b.providers ?? {}) as Record<string, Body>)) providers[name] = provider(name, p, at(at(path, 'providers'), name), issues);
  const rules: JwtRuleConfig[] = [];
  ((b.rules as Body[] | undefined) ?? []).forEach((r, i) => {
    const rp = at(at(path, 'rules'), i);
    onlyFields(r, ['match', 'requires'], rp, issues);
    const match = ruleMatch(r.match as Body | undefined, at(rp, 'match'), issues);
    const requires = requirement(r.requires as Body | undefined, providers, at(rp, 'requires'), issues);
    if (match) rules.push({ match, requires });
  });
  return { providers, rules, bypassCorsPreflight: b.bypassCorsPreflight === true };
}
