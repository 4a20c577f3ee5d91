import type { HeaderMatcher, PathMatch, QueryParameterMatcher, StringMatcher } from './matchers';

/**
 * Envoy's header append actions (HeaderValueOption.append_action).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-headervalueoption
 */
export type HeaderAppendAction = 'append' | 'add-if-absent' | 'overwrite-or-add' | 'overwrite-if-exists';

export interface HeaderValueOption {
  key: string;
  value: string;
  action: HeaderAppendAction;
}

export interface HeaderMutation {
  add: readonly HeaderValueOption[];
  /** Lower-cased names. */
  remove: readonly string[];
}

export interface HeaderMutations {
  request: HeaderMutation;
  response: HeaderMutation;
}

export const NO_HEADER_MUTATION: HeaderMutation = { add: [], remove: [] };
export const NO_HEADER_MUTATIONS: HeaderMutations = { request: NO_HEADER_MUTATION, response: NO_HEADER_MUTATION };

export interface RouteMatch {
  path: PathMatch;
  headers: readonly HeaderMatcher[];
  query: readonly QueryParameterMatcher[];
}

/** Conditions of x-envoy-retry-on we implement. https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on */
export type RetryOn =
  | '5xx'
  | 'gateway-error'
  | 'reset'
  | 'connect-failure'
  | 'retriable-4xx'
  | 'refused-stream'
  | 'retriable-status-codes'
  | 'unavailable'
  | 'cancelled'
  | 'deadline-exceeded'
  | 'resource-exhausted'
  | 'internal';

export interface RetryPolicy {
  retryOn: ReadonlySet<RetryOn>;
  numRetries: number;
  /** 0 means no per-try timeout (the route timeout still applies). */
  perTryTimeoutMs: number;
  retriableStatusCodes: ReadonlySet<number>;
  /** Exponential back-off between attempts: Envoy defaults 25 ms base, 10x base max. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Istio's `envoy.retry_host_predicates.previous_hosts`: avoid hosts already tried. */
  avoidPreviousHosts: boolean;
  hostSelectionMaxAttempts: number;
  /**
   * Envoy's `envoy.retry_priorities.previous_priorities` (Istio `retryRemoteLocalities`): every
   * `n` attempts, the priorities already tried are excluded from the next picks; 0 = off.
   */
  previousPrioritiesUpdateFrequency: number;
}

export interface WeightedCluster {
  name: string;
  weight: number;
  headers: HeaderMutations;
}

/**
 * RouteAction.HashPolicy: what a request hashes on for RING_HASH / MAGLEV clusters. Hashes of
 * several policies combine; a `terminal` policy that produced a hash ends the evaluation.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction-hashpolicy
 */
export type HashPolicy = { terminal: boolean } & (
  | { kind: 'header'; name: string; rewrite?: { regex: RegExp; substitution: string } }
  /** `ttlMs` set (even 0) means: generate the cookie when absent, as Envoy does. */
  | { kind: 'cookie'; name: string; ttlMs?: number; path?: string }
  | { kind: 'source-ip' }
  | { kind: 'query'; name: string }
);

/** RouteAction.RequestMirrorPolicy: shadow `fraction` of requests to `cluster`. */
export interface MirrorPolicy {
  cluster: string;
  /** runtime_fraction.default_value as a fraction in [0, 1] (1 when absent). */
  fraction: number;
}

/**
 * The CORS filter's per-route / per-virtual-host policy (typed_per_filter_config
 * `envoy.filters.http.cors` = CorsPolicy). Fields left empty fall back to the less specific policy.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/cors/v3/cors.proto
 */
export interface CorsPolicy {
  allowOrigins: readonly StringMatcher[];
  allowMethods: string;
  allowHeaders: string;
  exposeHeaders: string;
  maxAge: string;
  allowCredentials?: boolean;
  allowPrivateNetworkAccess?: boolean;
  forwardNotMatchingPreflights?: boolean;
  /** filter_enabled as a fraction (1 when absent). */
  enabled: number;
  /** shadow_enabled as a fraction (0 when absent). */
  shadowEnabled: number;
}

export interface ForwardAction {
  kind: 'forward';
  clusters: readonly WeightedCluster[];
  /** Sum of the weights (> 0). */
  totalWeight: number;
  /** Route timeout in ms; 0 disables it. Envoy's default is 15 s. */
  timeoutMs: number;
  prefixRewrite?: string;
  regexRewrite?: { regex: RegExp; substitution: string };
  hostRewrite?: string;
  retry?: RetryPolicy;
  hashPolicy: readonly HashPolicy[];
  /** Route mirror policies, else the virtual host's. */
  mirrors: readonly MirrorPolicy[];
}

export interface DirectResponseAction {
  kind: 'direct';
  status: number;
  body?: string;
}

export interface RedirectAction {
  kind: 'redirect';
  status: number;
  scheme?: string;
  host?: string;
  port?: number;
  path?: string;
  prefixRewrite?: string;
  stripQuery: boolean;
}

export type RouteAction = ForwardAction | DirectResponseAction | RedirectAction;

/**
 * Envoy's fault filter config (HTTPFault): a delay and/or an abort, each applied to a fraction of
 * requests, optionally only for some headers or one upstream cluster.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/fault_filter
 */
export interface FaultConfig {
  delay?: { ms: number; fraction: number };
  abort?: { httpStatus?: number; grpcStatus?: number; fraction: number };
  upstreamCluster?: string;
  headers: readonly HeaderMatcher[];
  /** 0 = unlimited. */
  maxActiveFaults: number;
}

export interface Route {
  name?: string;
  match: RouteMatch;
  action: RouteAction;
  headers: HeaderMutations;
  /** Per-route fault filter config (typed_per_filter_config), replacing the filter's own. */
  fault?: FaultConfig;
  cors?: CorsPolicy;
}

export interface VirtualHost {
  name: string;
  /** Lower-cased domains: exact, `*.suffix`, `prefix.*` or `*`; a domain may carry `:port`. */
  domains: readonly string[];
  routes: readonly Route[];
  headers: HeaderMutations;
  retry?: RetryPolicy;
  fault?: FaultConfig;
  cors?: CorsPolicy;
  /** require_tls: plaintext requests get a 301 to https (EXTERNAL_ONLY: unless x-envoy-internal). */
  requireTls?: 'all' | 'external-only';
}

export interface RouteConfig {
  name: string;
  virtualHosts: readonly VirtualHost[];
  headers: HeaderMutations;
  /** Match domains on the host without its port. */
  ignorePortInHostMatching: boolean;
}
