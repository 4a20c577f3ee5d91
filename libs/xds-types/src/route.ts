/** envoy.config.route.v3 (RDS). */
import type { DataSource, HeaderValueOption, Metadata, RoutingPriority, RuntimeFractionalPercent } from './core';
import type { HeaderMatcher, QueryParameterMatcher, RegexMatchAndSubstitute, RegexMatcher } from './matcher';
import type { Any, BoolValue, Duration, UInt32Value } from './wkt';

/** Filter name -> per-route filter config (e.g. an HTTPFault, RBACPerRoute). */
export type TypedPerFilterConfig = Record<string, Any>;

/** @proto envoy.config.route.v3.RetryPolicy.RetryBackOff */
export interface RetryBackOff {
  baseInterval: Duration;
  maxInterval?: Duration;
}

/** @proto envoy.config.route.v3.RetryPolicy */
export interface RetryPolicy {
  /** Comma-separated, e.g. 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes'. */
  retryOn?: string;
  numRetries?: UInt32Value;
  perTryTimeout?: Duration;
  perTryIdleTimeout?: Duration;
  /** e.g. envoy.retry_host_predicates.previous_hosts: retry on a different host. */
  retryHostPredicate?: Array<{ name: string; typedConfig?: Any }>;
  /** e.g. envoy.retry_priorities.previous_priorities: retries move to priorities not tried yet. */
  retryPriority?: { name: string; typedConfig?: Any };
  hostSelectionRetryMaxAttempts?: number;
  retriableStatusCodes?: number[];
  retryBackOff?: RetryBackOff;
  retriableHeaders?: HeaderMatcher[];
  retriableRequestHeaders?: HeaderMatcher[];
}

/** @proto envoy.config.route.v3.RouteMatch.GrpcRouteMatchOptions */
export type GrpcRouteMatchOptions = Record<string, never>;

/**
 * One of prefix | path | safeRegex | pathSeparatedPrefix.
 * @proto envoy.config.route.v3.RouteMatch
 */
export interface RouteMatch {
  prefix?: string;
  path?: string;
  safeRegex?: RegexMatcher;
  pathSeparatedPrefix?: string;
  caseSensitive?: BoolValue;
  runtimeFraction?: RuntimeFractionalPercent;
  headers?: HeaderMatcher[];
  queryParameters?: QueryParameterMatcher[];
  grpc?: GrpcRouteMatchOptions;
}

/** @proto envoy.config.route.v3.WeightedCluster.ClusterWeight */
export interface ClusterWeight {
  name: string;
  weight: UInt32Value;
  metadataMatch?: Metadata;
  requestHeadersToAdd?: HeaderValueOption[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: HeaderValueOption[];
  responseHeadersToRemove?: string[];
  typedPerFilterConfig?: TypedPerFilterConfig;
  hostRewriteLiteral?: string;
}

/** @proto envoy.config.route.v3.WeightedCluster */
export interface WeightedCluster {
  clusters: ClusterWeight[];
  /** @deprecated Envoy sums the weights; grpc-js-xds too. */
  totalWeight?: UInt32Value;
  runtimeKeyPrefix?: string;
  headerName?: string;
}

/** @proto envoy.config.route.v3.RouteAction.RequestMirrorPolicy */
export interface RequestMirrorPolicy {
  cluster: string;
  runtimeFraction?: RuntimeFractionalPercent;
  traceSampled?: BoolValue;
}

/** @proto envoy.config.route.v3.RouteAction.HashPolicy.Header */
export interface HashPolicyHeader {
  headerName: string;
  regexRewrite?: RegexMatchAndSubstitute;
}

/** @proto envoy.config.route.v3.RouteAction.HashPolicy.Cookie */
export interface HashPolicyCookie {
  name: string;
  ttl?: Duration;
  path?: string;
}

/** One of header | cookie | connectionProperties | queryParameter | filterState. @proto envoy.config.route.v3.RouteAction.HashPolicy */
export interface HashPolicy {
  header?: HashPolicyHeader;
  cookie?: HashPolicyCookie;
  connectionProperties?: { sourceIp: boolean };
  queryParameter?: { name: string };
  filterState?: { key: string };
  terminal?: boolean;
}

/** @proto envoy.config.route.v3.RouteAction.MaxStreamDuration */
export interface MaxStreamDuration {
  maxStreamDuration?: Duration;
  grpcTimeoutHeaderMax?: Duration;
  grpcTimeoutHeaderOffset?: Duration;
}

/**
 * One of cluster | weightedClusters | clusterHeader; at most one of hostRewriteLiteral |
 * autoHostRewrite | hostRewriteHeader.
 * @proto envoy.config.route.v3.RouteAction
 */
export interface RouteAction {
  cluster?: string;
  weightedClusters?: WeightedCluster;
  clusterHeader?: string;
  clusterNotFoundResponseCode?: 'SERVICE_UNAVAILABLE' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR';
  metadataMatch?: Metadata;
  prefixRewrite?: string;
  regexRewrite?: RegexMatchAndSubstitute;
  hostRewriteLiteral?: string;
  autoHostRewrite?: BoolValue;
  hostRewriteHeader?: string;
  appendXForwardedHost?: boolean;
  /** 0s disables the route timeout. */
  timeout?: Duration;
  idleTimeout?: Duration;
  retryPolicy?: RetryPolicy;
  requestMirrorPolicies?: RequestMirrorPolicy[];
  priority?: RoutingPriority;
  hashPolicy?: HashPolicy[];
  upgradeConfigs?: Array<{ upgradeType: string; enabled?: BoolValue }>;
  maxStreamDuration?: MaxStreamDuration;
}

export type RedirectResponseCode =
  | 'MOVED_PERMANENTLY'
  | 'FOUND'
  | 'SEE_OTHER'
  | 'TEMPORARY_REDIRECT'
  | 'PERMANENT_REDIRECT';

/** @proto envoy.config.route.v3.RedirectAction */
export interface RedirectAction {
  httpsRedirect?: boolean;
  schemeRedirect?: string;
  hostRedirect?: string;
  portRedirect?: number;
  pathRedirect?: string;
  prefixRewrite?: string;
  regexRewrite?: RegexMatchAndSubstitute;
  responseCode?: RedirectResponseCode;
  stripQuery?: boolean;
}

/** @proto envoy.config.route.v3.DirectResponseAction */
export interface DirectResponseAction {
  status: number;
  body?: DataSource;
}

/** @proto envoy.config.route.v3.Decorator */
export interface Decorator {
  operation: string;
  propagate?: BoolValue;
}

/** One of route | redirect | directResponse. @proto envoy.config.route.v3.Route */
export interface Route {
  name?: string;
  match: RouteMatch;
  route?: RouteAction;
  redirect?: RedirectAction;
  directResponse?: DirectResponseAction;
  /** Server-side xDS (gRFC A36): the route accepts the call for the server's own handlers. */
  nonForwardingAction?: Record<string, never>;
  metadata?: Metadata;
  decorator?: Decorator;
  typedPerFilterConfig?: TypedPerFilterConfig;
  requestHeadersToAdd?: HeaderValueOption[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: HeaderValueOption[];
  responseHeadersToRemove?: string[];
  statPrefix?: string;
}

/** @proto envoy.config.route.v3.VirtualHost */
export interface VirtualHost {
  name: string;
  /** Host (and host:port) patterns; '*' and '*.suffix' / 'prefix.*' wildcards. */
  domains: string[];
  routes: Route[];
  requireTls?: 'NONE' | 'EXTERNAL_ONLY' | 'ALL';
  requestHeadersToAdd?: HeaderValueOption[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: HeaderValueOption[];
  responseHeadersToRemove?: string[];
  typedPerFilterConfig?: TypedPerFilterConfig;
  includeRequestAttemptCount?: boolean;
  includeAttemptCountInResponse?: boolean;
  retryPolicy?: RetryPolicy;
  requestMirrorPolicies?: RequestMirrorPolicy[];
  metadata?: Metadata;
}

/** @proto envoy.config.route.v3.RouteConfiguration */
export interface RouteConfiguration {
  name: string;
  virtualHosts?: VirtualHost[];
  internalOnlyHeaders?: string[];
  requestHeadersToAdd?: HeaderValueOption[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: HeaderValueOption[];
  responseHeadersToRemove?: string[];
  mostSpecificHeaderMutationsWins?: boolean;
  validateClusters?: BoolValue;
  ignorePortInHostMatching?: boolean;
  typedPerFilterConfig?: TypedPerFilterConfig;
  metadata?: Metadata;
}
