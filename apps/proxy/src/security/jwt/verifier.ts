import type { JwtAuthnConfig, JwtProviderConfig, JwtRequirement } from '../../config/model';
import type { HeaderMap } from '../../http/headers';
import { type ExtractedToken, extractTokens, issuerAllowed, sanitizePayloadHeaders } from './extractor';
import type { JwksCache } from './jwks-cache';
import { JwtStatus } from './status';
import { type ParsedJwt, checkTime, parseJwt, verifySignature } from './token';

/** The request as jwt_authn sees and changes it. */
export interface JwtRequest {
  /** Mutable: tokens are removed, payload and claim headers added. */
  headers: HeaderMap;
  /** `:path` with query (tokens in query parameters). */
  path: string;
  nowSeconds: number;
}

/** One verification run: the outcome, the verified payloads by metadata key, route cache flag. */
export interface JwtOutcome {
  status: JwtStatus;
  payloads: Record<string, unknown>;
  clearRouteCache: boolean;
}

interface Run {
  req: JwtRequest;
  payloads: Record<string, unknown>;
  clearRouteCache: boolean;
}

/** jwt_verify_lib's CheckAudience: `http(s)://` and a trailing `/` are ignored on both sides. */
function normalizeAudience(a: string): string {
  return a.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

function audiencesAllowed(allowed: readonly string[], jwt: readonly string[]): boolean {
  if (!allowed.length) return true;
  const set = new Set(allowed.map(normalizeAudience));
  return jwt.some((a) => set.has(normalizeAudience(a)));
}

/** Envoy's convertClaimDoubleToString etc.: primitive claims only, integers without a fraction. */
function claimString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? String(v) : v.toFixed(6);
  return '';
}

/** A claim by name; a dotted name walks nested objects (`a.b`), as Envoy's StructUtils does. */
function claim(payload: Record<string, unknown>, name: string): unknown {
  let cur: unknown = payload;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** normalize_payload_in_metadata: listed string claims become lists of their space-separated words. */
function normalizedPayload(p: JwtProviderConfig, payload: Record<string, unknown>): Record<string, unknown> {
  const out = { ...payload };
  for (const c of p.spaceDelimitedClaims) {
    const v = out[c];
    if (typeof v === 'string') out[c] = v.split(' ').filter((s) => s !== '');
  }
  return out;
}

/**
 * jwt_authn's verifier tree and authenticator, following Envoy's verifier.cc / authenticator.cc:
 * a provider requirement verifies every token its locations hold (all must pass); requires_any
 * stops at the first success (failures aggregate to the last error that is not a missing token),
 * requires_all at the first failure; allow_missing passes when no token is present (tokens from
 * the sibling providers' locations, matched to a provider by issuer, must still verify);
 * allow_missing_or_failed always passes.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/jwt_authn/v3/config.proto#envoy-v3-api-msg-extensions-filters-http-jwt-authn-v3-jwtrequirement
 */
export class JwtVerifier {
  constructor(
    private readonly cfg: JwtAuthnConfig,
    private readonly jwks: JwksCache,
  ) {}

  async verify(requirement: JwtRequirement, req: JwtRequest): Promise<JwtOutcome> {
    const run: Run = { req, payloads: {}, clearRouteCache: false };
    const status = await this.requirement(requirement, run, []);
    return { status, payloads: status === JwtStatus.Ok ? run.payloads : {}, clearRouteCache: run.clearRouteCache };
  }

  private provider(name: string): JwtProviderConfig {
    return this.cfg.providers[name];
  }

  private async requirement(r: JwtRequirement, run: Run, siblings: readonly string[]): Promise<JwtStatus> {
    switch (r.kind) {
      case 'none':
        return JwtStatus.Ok;
      case 'provider': {
        const p = this.provider(r.provider);
        sanitizePayloadHeaders([p], run.req.headers);
        return this.authenticate(extractTokens([p], run.req.headers, run.req.path), run, { provider: p, audiences: r.audiences });
      }
      case 'allow-missing':
      case 'allow-missing-or-failed': {
        const ps = siblings.map((n) => this.provider(n));
        sanitizePayloadHeaders(ps, run.req.headers);
        const tokens = extractTokens(ps, run.req.headers, run.req.path);
        return this.authenticate(tokens, run, { allowMissing: true, allowFailed: r.kind === 'allow-missing-or-failed' });
      }
      case 'all': {
        for (const child of r.requirements) {
          const s = await this.requirement(child, run, []);
          if (s !== JwtStatus.Ok) return s;
        }
        return JwtStatus.Ok;
      }
      case 'any':
        return this.any(r.requirements, run);
    }
  }

  /** The bypass requirement (allow_missing[_or_failed]) runs last, over the siblings' providers. */
  private async any(reqs: readonly JwtRequirement[], run: Run): Promise<JwtStatus> {
    const regular = reqs.filter((x) => x.kind !== 'allow-missing' && x.kind !== 'allow-missing-or-failed');
    const bypass = reqs.find((x) => x.kind === 'allow-missing-or-failed') ?? reqs.find((x) => x.kind === 'allow-missing');
    const used = regular.flatMap((x) => (x.kind === 'provider' ? [x.provider] : []));
    const statuses: JwtStatus[] = [];
    for (const child of bypass ? [...regular, bypass] : regular) {
      const s = await this.requirement(child, run, child === bypass ? used : []);
      if (s === JwtStatus.Ok) return s;
      statuses.push(s);
    }
    let final: JwtStatus = JwtStatus.JwtMissed;
    for (const s of statuses) if (s !== JwtStatus.JwtMissed && s !== JwtStatus.JwtUnknownIssuer) final = s;
    return final;
  }

  /** AuthenticatorImpl: tokens verified last first; unless missing/failed is allowed, all must pass. */
  private async authenticate(tokens: ExtractedToken[], run: Run, opts: { provider?: JwtProviderConfig; audiences?: readonly string[]; allowMissing?: boolean; allowFailed?: boolean }): Promise<JwtStatus> {
    const done = (s: JwtStatus): JwtStatus => (opts.allowFailed || (opts.allowMissing && s === JwtStatus.JwtMissed) ? JwtStatus.Ok : s);
    if (!tokens.length) return done(JwtStatus.JwtMissed);
    const pending = [...tokens];
    for (;;) {
      const t = pending.pop() as ExtractedToken;
      const s = await this.verifyToken(t, run, opts);
      if ((s !== JwtStatus.Ok && !opts.allowFailed && !opts.allowMissing) || !pending.length) return done(s);
    }
  }

  private async verifyToken(t: ExtractedToken, run: Run, opts: { provider?: JwtProviderConfig; audiences?: readonly string[] }): Promise<JwtStatus> {
    const jwt = parseJwt(t.token);
    if (typeof jwt === 'string') return jwt;
    if (!issuerAllowed(t, jwt.iss)) return JwtStatus.JwtUnknownIssuer;
    const p = opts.provider ?? this.byIssuer(jwt.iss);
    if (!p) return JwtStatus.JwtUnknownIssuer;
    const time = checkTime(jwt, run.req.nowSeconds, p.clockSkewSeconds);
    if (time !== JwtStatus.Ok) return time;
    if (!audiencesAllowed(opts.audiences ?? p.audiences, jwt.audiences)) return JwtStatus.JwtAudienceNotAllowed;
    const keys = await this.jwks.keys(p);
    if (typeof keys === 'string') return keys;
    const sig = verifySignature(jwt, keys);
    if (sig !== JwtStatus.Ok) return sig;
    this.accept(p, t, jwt, run);
    return JwtStatus.Ok;
  }

  /** The first provider with this issuer, else one without issuer (findByIssuer). */
  private byIssuer(iss: string): JwtProviderConfig | undefined {
    const all = Object.values(this.cfg.providers);
    return all.find((p) => p.issuer === iss) ?? all.find((p) => p.issuer === '');
  }

  /** handleGoodJwt: payload / claim headers, token removal (unless `forward`), metadata. */
  private accept(p: JwtProviderConfig, t: ExtractedToken, jwt: ParsedJwt, run: Run): void {
    const h = run.req.headers;
    if (p.forwardPayloadHeader) h[p.forwardPayloadHeader] = p.padForwardPayloadHeader ? jwt.payloadB64.padEnd(Math.ceil(jwt.payloadB64.length / 4) * 4, '=') : jwt.payloadB64;
    for (const c of p.claimToHeaders) {
      const v = claimString(claim(jwt.payload, c.claim));
      if (v) h[c.header] = v;
    }
    if (!p.forward && t.header) delete h[t.header];
    if (p.headerInMetadata) run.payloads[p.headerInMetadata] = jwt.header;
    if (p.payloadInMetadata) run.payloads[p.payloadInMetadata] = normalizedPayload(p, jwt.payload);
    if (p.clearRouteCache && (p.forwardPayloadHeader || p.claimToHeaders.length)) run.clearRouteCache = true;
  }
}
