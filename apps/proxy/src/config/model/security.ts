/**
 * Validated config of the security filters: RBAC (HTTP and network), jwt_authn and ext_authz.
 * Shapes follow Envoy's protos one to one; every field here is enforced (unsupported ones NACK).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/rbac/v3/rbac.proto
 */
import type { CidrRange } from './listeners';
import type { StringMatcher, HeaderMatcher } from './matchers';
import type { RouteMatch } from './routes';

/** envoy.type.matcher.v3.ValueMatcher: matches one google.protobuf.Value of dynamic metadata. */
export type ValueMatcher =
  | { kind: 'null' }
  | { kind: 'double-exact'; value: number }
  /** DoubleRange: start inclusive, end exclusive. */
  | { kind: 'double-range'; start: number; end: number }
  | { kind: 'string'; matcher: StringMatcher }
  | { kind: 'bool'; value: boolean }
  | { kind: 'present'; present: boolean }
  /** ListMatcher: the value is a list and one element matches. */
  | { kind: 'list'; oneOf: ValueMatcher }
  | { kind: 'or'; matchers: readonly ValueMatcher[] };

/** envoy.type.matcher.v3.MetadataMatcher over the request's dynamic metadata. */
export interface MetadataMatcher {
  /** Filter namespace, e.g. `envoy.filters.http.jwt_authn`. */
  filter: string;
  /** Keys walked through nested Structs. */
  path: readonly string[];
  value: ValueMatcher;
  invert: boolean;
}

/** envoy.config.rbac.v3.Permission: what is being accessed. */
export type RbacPermission =
  | { kind: 'any' }
  | { kind: 'and' | 'or'; rules: readonly RbacPermission[] }
  | { kind: 'not'; rule: RbacPermission }
  | { kind: 'header'; matcher: HeaderMatcher }
  /** PathMatcher: the path without query and fragment. */
  | { kind: 'url-path'; matcher: StringMatcher }
  | { kind: 'destination-ip'; cidr: CidrRange }
  | { kind: 'destination-port'; port: number }
  /** Int32Range: start inclusive, end exclusive. */
  | { kind: 'destination-port-range'; start: number; end: number }
  | { kind: 'metadata'; matcher: MetadataMatcher }
  | { kind: 'requested-server-name'; matcher: StringMatcher };

/** envoy.config.rbac.v3.Principal: who is accessing. */
export type RbacPrincipal =
  | { kind: 'any' }
  | { kind: 'and' | 'or'; ids: readonly RbacPrincipal[] }
  | { kind: 'not'; id: RbacPrincipal }
  /** TLS peer: URI SANs, then DNS SANs, then the subject; no matcher: any authenticated peer. */
  | { kind: 'authenticated'; principalName?: StringMatcher }
  /** The connection's peer address (`source_ip` and `direct_remote_ip`). */
  | { kind: 'direct-remote-ip'; cidr: CidrRange }
  /** The original client address: x-forwarded-for per the HCM's settings, else the peer. */
  | { kind: 'remote-ip'; cidr: CidrRange }
  | { kind: 'header'; matcher: HeaderMatcher }
  | { kind: 'url-path'; matcher: StringMatcher }
  | { kind: 'metadata'; matcher: MetadataMatcher };

export interface RbacPolicy {
  name: string;
  permissions: readonly RbacPermission[];
  principals: readonly RbacPrincipal[];
}

export type RbacAction = 'ALLOW' | 'DENY' | 'LOG';

/** envoy.config.rbac.v3.RBAC; policies sorted by name (Envoy keeps them in a std::map). */
export interface RbacRules {
  action: RbacAction;
  policies: readonly RbacPolicy[];
}

/**
 * envoy.extensions.filters.http.rbac.v3.RBAC. No `rules`: nothing is enforced (an empty `rules`
 * with ALLOW denies everything). Shadow rules are evaluated for stats and metadata only.
 */
export interface HttpRbacConfig {
  rules?: RbacRules;
  rulesStatPrefix: string;
  shadowRules?: RbacRules;
  shadowRulesStatPrefix: string;
}

/** envoy.extensions.filters.network.rbac.v3.RBAC (stats under `<stat_prefix>rbac.`). */
export interface NetworkRbacConfig {
  statPrefix: string;
  rules?: RbacRules;
  shadowRules?: RbacRules;
  shadowRulesStatPrefix: string;
}

/** Where a JWT is read from (JwtProvider from_headers / from_params / from_cookies). */
export interface JwtHeaderLocation {
  /** Lower-cased. */
  name: string;
  valuePrefix: string;
}

export type JwksSource =
  /** The inline JWKS text (checked at translation; an invalid one is a warning, as in Envoy, and verifies nothing). */
  | { kind: 'local'; jwks: string }
  | { kind: 'remote'; uri: string; cluster: string; timeoutMs: number; cacheDurationMs: number };

/** envoy.extensions.filters.http.jwt_authn.v3.JwtProvider. */
export interface JwtProviderConfig {
  name: string;
  /** Empty: any issuer. */
  issuer: string;
  /** Empty: audiences are not checked. */
  audiences: readonly string[];
  jwks: JwksSource;
  forward: boolean;
  forwardPayloadHeader?: string;
  padForwardPayloadHeader: boolean;
  payloadInMetadata?: string;
  headerInMetadata?: string;
  /** normalize_payload_in_metadata.space_delimited_claims: such string claims become lists. */
  spaceDelimitedClaims: readonly string[];
  claimToHeaders: ReadonlyArray<{ header: string; claim: string }>;
  fromHeaders: readonly JwtHeaderLocation[];
  fromParams: readonly string[];
  fromCookies: readonly string[];
  /** Default 60 s. */
  clockSkewSeconds: number;
  clearRouteCache: boolean;
}

/** envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement. */
export type JwtRequirement =
  | { kind: 'provider'; provider: string; audiences?: readonly string[] }
  | { kind: 'any' | 'all'; requirements: readonly JwtRequirement[] }
  | { kind: 'allow-missing' }
  | { kind: 'allow-missing-or-failed' }
  /** No requirement set: everything passes. */
  | { kind: 'none' };

/** RequirementRule: a route match (path, headers, query) and its requirement; the first match applies. */
export interface JwtRuleConfig {
  match: RouteMatch;
  requires: JwtRequirement;
}

/** envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication. */
export interface JwtAuthnConfig {
  providers: Readonly<Record<string, JwtProviderConfig>>;
  rules: readonly JwtRuleConfig[];
  bypassCorsPreflight: boolean;
}

/** The authorization service ext_authz calls. */
export type ExtAuthzService =
  | {
      kind: 'http';
      /** server_uri: the cluster carrying the call, the URI (authority for the call) and timeout. */
      uri: string;
      cluster: string;
      timeoutMs: number;
      pathPrefix: string;
      /** authorization_request.allowed_headers (beyond the always-sent ones); empty: defaults only. */
      allowedHeaders: readonly StringMatcher[];
      headersToAdd: ReadonlyArray<{ key: string; value: string }>;
      /** authorization_response.allowed_upstream_headers (overwrite) / allowed_upstream_headers_to_append. */
      allowedUpstreamHeaders: readonly StringMatcher[];
      allowedUpstreamHeadersToAppend: readonly StringMatcher[];
      /** authorization_response.allowed_client_headers; empty: every header but Host. */
      allowedClientHeaders: readonly StringMatcher[];
    }
  | { kind: 'grpc'; cluster: string; authority?: string; timeoutMs: number };

/** envoy.extensions.filters.http.ext_authz.v3.ExtAuthz. */
export interface ExtAuthzConfig {
  service: ExtAuthzService;
  failureModeAllow: boolean;
  failureModeAllowHeaderAdd: boolean;
  /** HTTP status when the service fails (default 403). */
  statusOnError: number;
  /** Only when the dynamic metadata matches (Istio: the CUSTOM shadow RBAC matched). */
  filterEnabledMetadata?: MetadataMatcher;
  /** filter_enabled default value as a fraction in [0, 1] (default 1). */
  filterEnabled: number;
  clearRouteCache: boolean;
  metadataContextNamespaces: readonly string[];
  /** `ext_authz.<stat_prefix>.` when set. */
  statPrefix: string;
}

/** One security HTTP filter of an HCM, in config order (they run before routing). */
export type HttpSecurityFilter =
  | { kind: 'rbac'; name: string; config: HttpRbacConfig }
  | { kind: 'jwt-authn'; name: string; config: JwtAuthnConfig }
  | { kind: 'ext-authz'; name: string; config: ExtAuthzConfig };
