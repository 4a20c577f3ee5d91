/**
 * The Envoy messages the security generators emit, in protobufjs JSON form (camelCase, UInt32Value
 * as `{ value }`, Duration as `{ seconds }`). Local to this folder until the proxy consumes them.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/rbac/v3/rbac.proto
 */
import type { Any, CidrRange, Duration, HeaderMatcher, StringMatcher, TypeUrl } from '@mizzen/xds-types';

/** @proto envoy.type.matcher.v3.ValueMatcher (one of stringMatch | listMatch | orMatch | presentMatch) */
export interface ValueMatcher {
  stringMatch?: StringMatcher;
  listMatch?: { oneOf: ValueMatcher };
  orMatch?: { valueMatchers: ValueMatcher[] };
  presentMatch?: boolean;
}

/** @proto envoy.type.matcher.v3.MetadataMatcher */
export interface MetadataMatcher {
  filter: string;
  path: { key: string }[];
  value: ValueMatcher;
}

/** @proto envoy.config.rbac.v3.Permission (one field set) */
export interface Permission {
  andRules?: { rules: Permission[] };
  orRules?: { rules: Permission[] };
  notRule?: Permission;
  any?: boolean;
  header?: HeaderMatcher;
  urlPath?: { path: StringMatcher };
  destinationIp?: CidrRange;
  destinationPort?: number;
  metadata?: MetadataMatcher;
  requestedServerName?: StringMatcher;
}

/** @proto envoy.config.rbac.v3.Principal (one field set) */
export interface Principal {
  andIds?: { ids: Principal[] };
  orIds?: { ids: Principal[] };
  notId?: Principal;
  any?: boolean;
  authenticated?: { principalName: StringMatcher };
  directRemoteIp?: CidrRange;
  remoteIp?: CidrRange;
  header?: HeaderMatcher;
  metadata?: MetadataMatcher;
}

/** @proto envoy.config.rbac.v3.Policy */
export interface RbacPolicy {
  permissions: Permission[];
  principals: Principal[];
}

export type RbacAction = 'ALLOW' | 'DENY' | 'LOG';

/** @proto envoy.config.rbac.v3.RBAC */
export interface RbacRules {
  action?: RbacAction;
  policies?: Record<string, RbacPolicy>;
}

/** @proto envoy.extensions.filters.http.rbac.v3.RBAC */
export interface HttpRbac {
  rules?: RbacRules;
  shadowRules?: RbacRules;
  shadowRulesStatPrefix?: string;
}

/** @proto envoy.extensions.filters.network.rbac.v3.RBAC (the fields Istio sets) */
export interface NetworkRbac extends HttpRbac {
  /** Istio: `tcp.` */
  statPrefix: string;
}

/** @proto envoy.extensions.filters.http.ext_authz.v3.ExtAuthz (the fields Istio sets) */
export interface ExtAuthz {
  /** envoy.type.v3.HttpStatus: a StatusCode enum name or number. */
  statusOnError?: { code: string | number };
  failureModeAllow?: boolean;
  transportApiVersion: 'V3';
  filterEnabledMetadata: MetadataMatcher;
  httpService?: {
    pathPrefix?: string;
    serverUri: { uri: string; cluster: string; timeout: Duration };
    authorizationRequest?: { allowedHeaders: { patterns: Array<{ exact: string; ignoreCase: boolean }> } };
  };
  grpcService?: { envoyGrpc: { clusterName: string; authority: string }; timeout: Duration };
}

/** @proto envoy.extensions.filters.http.jwt_authn.v3.JwtProvider (the fields Istio sets) */
export interface JwtProvider {
  issuer: string;
  audiences?: string[];
  forward?: boolean;
  forwardPayloadHeader?: string;
  payloadInMetadata: string;
  normalizePayloadInMetadata: { spaceDelimitedClaims: string[] };
  claimToHeaders?: { headerName: string; claimName: string }[];
  fromHeaders?: { name: string; valuePrefix?: string }[];
  fromParams?: string[];
  fromCookies?: string[];
  remoteJwks?: { httpUri: { uri: string; cluster: string; timeout: Duration }; cacheDuration: Duration };
  localJwks?: { inlineString: string };
}

/** @proto envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement (one field set) */
export interface JwtRequirement {
  providerName?: string;
  allowMissing?: Record<string, never>;
  requiresAny?: { requirements: JwtRequirement[] };
  requiresAll?: { requirements: JwtRequirement[] };
}

/** @proto envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication */
export interface JwtAuthentication {
  providers: Record<string, JwtProvider>;
  rules: { match: { prefix: string }; requires: JwtRequirement }[];
  bypassCorsPreflight: boolean;
}

/** An HTTP filter with its typed config (an HCM `http_filters` entry). */
export interface SecurityHttpFilter<U extends string = string, B = unknown> {
  name: string;
  typedConfig: { '@type': U } & B;
}

export type RbacFilter = SecurityHttpFilter<typeof TypeUrl.RBAC, HttpRbac>;
export type ExtAuthzFilter = SecurityHttpFilter<typeof TypeUrl.ExtAuthz, ExtAuthz>;
export type JwtAuthnFilter = SecurityHttpFilter<typeof TypeUrl.JwtAuthentication, JwtAuthentication>;
/** A listener network filter (`envoy.filters.network.rbac`), placed before tcp_proxy. */
export type NetworkRbacFilter = SecurityHttpFilter<typeof TypeUrl.NetworkRBAC, NetworkRbac>;

/** A typed security filter as the generic HCM/listener filter shape (its config as an Any). */
export function asEnvoyFilter(f: SecurityHttpFilter): { name: string; typedConfig: Any } {
  return { name: f.name, typedConfig: f.typedConfig as Any };
}
