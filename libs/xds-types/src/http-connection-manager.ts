/** envoy.extensions.filters.network.http_connection_manager.v3 and network filters. */
import type {
  ConfigSource,
  Http1ProtocolOptions,
  Http2ProtocolOptions,
  HttpProtocolOptions,
  Metadata,
} from './core';
import type { RouteConfiguration } from './route';
import type { Any, BoolValue, Duration, UInt32Value } from './wkt';

/** @proto envoy.extensions.filters.network.http_connection_manager.v3.Rds */
export interface Rds {
  configSource: ConfigSource;
  routeConfigName: string;
}

/** @proto envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter */
export interface HttpFilter {
  name: string;
  typedConfig?: Any;
  isOptional?: boolean;
  disabled?: boolean;
}

/** @proto envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.UpgradeConfig */
export interface UpgradeConfig {
  upgradeType: string;
  filters?: HttpFilter[];
  enabled?: BoolValue;
}

export type CodecType = 'AUTO' | 'HTTP1' | 'HTTP2' | 'HTTP3';

export type ForwardClientCertDetails =
  | 'SANITIZE'
  | 'FORWARD_ONLY'
  | 'APPEND_FORWARD'
  | 'SANITIZE_SET'
  | 'ALWAYS_FORWARD_ONLY';

/**
 * One of rds | routeConfig. The router filter must be the last of httpFilters.
 * @proto envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
 */
export interface HttpConnectionManager {
  statPrefix: string;
  codecType?: CodecType;
  rds?: Rds;
  routeConfig?: RouteConfiguration;
  httpFilters?: HttpFilter[];
  commonHttpProtocolOptions?: HttpProtocolOptions;
  httpProtocolOptions?: Http1ProtocolOptions;
  http2ProtocolOptions?: Http2ProtocolOptions;
  serverName?: string;
  streamIdleTimeout?: Duration;
  requestTimeout?: Duration;
  drainTimeout?: Duration;
  upgradeConfigs?: UpgradeConfig[];
  useRemoteAddress?: BoolValue;
  xffNumTrustedHops?: number;
  skipXffAppend?: boolean;
  via?: string;
  generateRequestId?: BoolValue;
  preserveExternalRequestId?: boolean;
  forwardClientCertDetails?: ForwardClientCertDetails;
  normalizePath?: BoolValue;
  mergeSlashes?: boolean;
  pathWithEscapedSlashesAction?:
    | 'IMPLEMENTATION_SPECIFIC_DEFAULT'
    | 'KEEP_UNCHANGED'
    | 'REJECT_REQUEST'
    | 'UNESCAPE_AND_REDIRECT'
    | 'UNESCAPE_AND_FORWARD';
  maxRequestHeadersKb?: UInt32Value;
  stripAnyHostPort?: boolean;
}

/** @proto envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster.ClusterWeight */
export interface TcpProxyClusterWeight {
  name: string;
  weight: number;
  metadataMatch?: Metadata;
}

/** One of cluster | weightedClusters. @proto envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy */
export interface TcpProxy {
  statPrefix: string;
  cluster?: string;
  weightedClusters?: { clusters: TcpProxyClusterWeight[] };
  idleTimeout?: Duration;
  maxConnectAttempts?: UInt32Value;
  metadataMatch?: Metadata;
  tunnelingConfig?: TcpProxyTunnelingConfig;
}

/**
 * Tunnel the TCP stream over HTTP: CONNECT to `hostname` (`host:port`), or POST when `usePost`.
 * @proto envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.TunnelingConfig
 */
export interface TcpProxyTunnelingConfig {
  hostname: string;
  usePost?: boolean;
  postPath?: string;
}
