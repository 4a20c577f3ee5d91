import type { JwtAuthnConfig, JwtRequirement } from '../../config/model';
import type { HeaderMap } from '../../http/headers';
import { type RequestView, matchRoute } from '../../routing';
import { JwtStatus } from './status';
import type { JwtVerifier } from './verifier';

/** The dynamic metadata namespace jwt_authn writes verified payloads to. */
export const JWT_AUTHN_NAMESPACE = 'envoy.filters.http.jwt_authn';

export type JwtFilterResult =
  | { kind: 'continue'; payloads: Record<string, unknown>; clearRouteCache: boolean; bypassed?: boolean }
  | { kind: 'deny'; status: number; body: string; wwwAuthenticate: string; details: string };

/** A CORS preflight: OPTIONS with `origin` and `access-control-request-method`. */
function isCorsPreflight(view: RequestView): boolean {
  const h = view.headers;
  return view.method === 'OPTIONS' && !!h.origin && !!h['access-control-request-method'];
}

/** The first rule whose route match matches the request, or none (then no JWT is checked). */
export function requirementFor(cfg: JwtAuthnConfig, view: RequestView): JwtRequirement | undefined {
  return cfg.rules.find((r) => matchRoute(r.match, view))?.requires;
}

/**
 * Envoy's jwt_authn filter for one request: CORS preflights bypass it when configured; the
 * first matching rule's requirement is verified; a failure is a 401 with the failure text (403
 * when the audiences are not allowed) and `www-authenticate: Bearer realm="<url>"`, with
 * `error="invalid_token"` unless the token was missing.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/jwt_authn_filter
 */
export async function runJwtAuthn(cfg: JwtAuthnConfig, verifier: JwtVerifier, view: RequestView, headers: HeaderMap, nowSeconds: number): Promise<JwtFilterResult> {
  if (cfg.bypassCorsPreflight && isCorsPreflight(view)) return { kind: 'continue', payloads: {}, clearRouteCache: false, bypassed: true };
  const req = requirementFor(cfg, view);
  if (!req) return { kind: 'continue', payloads: {}, clearRouteCache: false };
  const out = await verifier.verify(req, { headers, path: view.path, nowSeconds });
  if (out.status === JwtStatus.Ok) return { kind: 'continue', payloads: out.payloads, clearRouteCache: out.clearRouteCache };
  // Http::Utility::buildOriginalUri: x-forwarded-proto, host and path as received.
  const proto = headers['x-forwarded-proto'] ?? view.scheme;
  const realm = `Bearer realm="${String(proto)}://${view.authority}${view.path}"`;
  return {
    kind: 'deny',
    status: out.status === JwtStatus.JwtAudienceNotAllowed ? 403 : 401,
    body: out.status,
    wwwAuthenticate: out.status === JwtStatus.JwtMissed ? realm : `${realm}, error="invalid_token"`,
    details: `jwt_authn_access_denied{${out.status.replace(/\s/g, '_')}}`,
  };
}
