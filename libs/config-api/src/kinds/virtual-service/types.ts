import type { Destination, Percent } from '../../common/messages/destination';
import type { StringMatch } from '../../common/messages/string-match';

/**
 * VirtualService messages in their YAML (protobuf JSON) form.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export interface VirtualServiceSpec {
  /** Hosts this service routes; empty only for a delegate VirtualService. */
  hosts?: string[];
  /** Gateways (`[namespace/]name`) and/or `mesh` (all sidecars, the default). */
  gateways?: string[];
  http?: HTTPRoute[];
  tls?: TLSRoute[];
  tcp?: TCPRoute[];
  exportTo?: string[];
}

/** Exactly one action: `route`, `redirect`, `directResponse` or `delegate`. */
export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: HTTPRedirect;
  directResponse?: HTTPDirectResponse;
  delegate?: Delegate;
  rewrite?: HTTPRewrite;
  timeout?: string;
  retries?: HTTPRetry;
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  mirrors?: HTTPMirrorPolicy[];
  /** @deprecated Use `mirrorPercentage`. Also accepted as `mirror_percent`, as Istio's CRD does. */
  mirrorPercent?: number;
  mirrorPercentage?: Percent;
  corsPolicy?: CorsPolicy;
  headers?: Headers;
}

export interface Delegate {
  name?: string;
  namespace?: string;
}

export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  /** Keys are lower-case header names, or `@request.auth.claims.<claim>` on gateways. */
  headers?: Record<string, StringMatch>;
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  queryParams?: Record<string, StringMatch>;
  ignoreUriCase?: boolean;
  withoutHeaders?: Record<string, StringMatch>;
  sourceNamespace?: string;
  statPrefix?: string;
}

export interface HTTPRouteDestination {
  destination: Destination;
  /** Relative weight; weights need not sum to 100 (Envoy normalises them). */
  weight?: number;
  headers?: Headers;
}

export interface RouteDestination {
  destination: Destination;
  weight?: number;
}

export interface L4MatchAttributes {
  destinationSubnets?: string[];
  port?: number;
  /** @deprecated Not implemented by Istio. */
  sourceSubnet?: string;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  sourceNamespace?: string;
}

export interface TLSMatchAttributes {
  sniHosts: string[];
  destinationSubnets?: string[];
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  sourceNamespace?: string;
}

export interface TLSRoute {
  match: TLSMatchAttributes[];
  route?: RouteDestination[];
}

export interface TCPRoute {
  match?: L4MatchAttributes[];
  route?: RouteDestination[];
}

export type RedirectPortSelection = 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT';

export interface HTTPRedirect {
  uri?: string;
  authority?: string;
  /** Oneof with `derivePort`. */
  port?: number;
  derivePort?: RedirectPortSelection;
  scheme?: string;
  redirectCode?: number;
}

export interface HTTPBody {
  string?: string;
  /** Base64. */
  bytes?: string;
}

export interface HTTPDirectResponse {
  status: number;
  body?: HTTPBody;
}

export interface RegexRewrite {
  match?: string;
  rewrite?: string;
}

export interface HTTPRewrite {
  uri?: string;
  authority?: string;
  uriRegexRewrite?: RegexRewrite;
}

export interface HTTPRetry {
  attempts?: number;
  perTryTimeout?: string;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
  retryIgnorePreviousHosts?: boolean;
  backoff?: string;
}

export type UnmatchedPreflights = 'UNSPECIFIED' | 'FORWARD' | 'IGNORE';

export interface CorsPolicy {
  /** @deprecated Use `allowOrigins`. */
  allowOrigin?: string[];
  allowOrigins?: StringMatch[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: string;
  allowCredentials?: boolean;
  unmatchedPreflights?: UnmatchedPreflights;
}

export interface FaultDelay {
  fixedDelay?: string;
  /** Not supported by Istio yet (rejected). */
  exponentialDelay?: string;
  /** @deprecated Use `percentage`. */
  percent?: number;
  percentage?: Percent;
}

export interface FaultAbort {
  httpStatus?: number;
  /** A gRPC status name such as `UNAVAILABLE`. */
  grpcStatus?: string;
  /** Not supported by Istio yet (rejected). */
  http2Error?: string;
  /** @deprecated Use `percentage`; still found in older Istio task YAML. */
  percent?: number;
  percentage?: Percent;
}

export interface HTTPFaultInjection {
  delay?: FaultDelay;
  abort?: FaultAbort;
}

export interface HTTPMirrorPolicy {
  destination: Destination;
  percentage?: Percent;
}
