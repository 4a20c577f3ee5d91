import type { PolicyTargetReference } from '../../common/messages/policy-target';
import type { LabelSelector } from '../../common/messages/workload-selector';

/**
 * RequestAuthentication (`security.istio.io`): which JWTs a workload accepts. A request with an
 * invalid token is rejected (401); a request without a token is accepted with no request
 * principal (an AuthorizationPolicy must require one).
 * https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export interface RequestAuthenticationSpec {
  selector?: LabelSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  jwtRules?: JWTRule[];
}

/** https://istio.io/latest/docs/reference/config/security/jwt/#JWTRule */
export interface JWTRule {
  /** Required: the `iss` the token must carry. */
  issuer: string;
  /** Accepted `aud` values; empty means the service name(s) are not checked (any audience). */
  audiences?: string[];
  /** HTTP(S) URL of the JWKS: fetched by Pilot and inlined (default), or by the proxy (Envoy remote_jwks) with PILOT_JWT_ENABLE_REMOTE_JWKS=true. */
  jwksUri?: string;
  /** Inline JWKS (JSON text); takes precedence over jwksUri. */
  jwks?: string;
  /** Default: `Authorization: Bearer <token>`. */
  fromHeaders?: JWTHeader[];
  /** Default: `access_token` query parameter. */
  fromParams?: string[];
  fromCookies?: string[];
  outputPayloadToHeader?: string;
  forwardOriginalToken?: boolean;
  outputClaimToHeaders?: ClaimToHeader[];
  /** JWKS fetch timeout (default 5s). */
  timeout?: string;
  spaceDelimitedClaims?: string[];
}

export interface JWTHeader {
  name: string;
  /** e.g. `"Bearer "`: stripped before the token is parsed. */
  prefix?: string;
}

export interface ClaimToHeader {
  header: string;
  claim: string;
}
