/** envoy.config.cluster.v3 (CDS). */
import type {
  ConfigSource,
  Http2ProtocolOptions,
  Metadata,
  Percent,
  RoutingPriority,
  TransportSocket,
  TypedExtensionConfig,
} from './core';
import type { ClusterLoadAssignment } from './endpoint';
import type { Any, BoolValue, Duration, UInt32Value, UInt64Value } from './wkt';

export type DiscoveryType = 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS' | 'ORIGINAL_DST';

/** grpc-js-xds NACKs LEAST_REQUEST. */
export type LbPolicy =
  | 'ROUND_ROBIN'
  | 'LEAST_REQUEST'
  | 'RING_HASH'
  | 'RANDOM'
  | 'MAGLEV'
  | 'CLUSTER_PROVIDED'
  | 'LOAD_BALANCING_POLICY_CONFIG';

/** @proto envoy.config.cluster.v3.Cluster.EdsClusterConfig */
export interface EdsClusterConfig {
  edsConfig: ConfigSource;
  /** The EDS resource name (ClusterLoadAssignment.clusterName); defaults to the cluster name. */
  serviceName?: string;
}

/** @proto envoy.config.cluster.v3.CircuitBreakers.Thresholds */
export interface CircuitBreakerThresholds {
  priority?: RoutingPriority;
  maxConnections?: UInt32Value;
  maxPendingRequests?: UInt32Value;
  maxRequests?: UInt32Value;
  maxRetries?: UInt32Value;
  trackRemaining?: boolean;
}

/** @proto envoy.config.cluster.v3.CircuitBreakers */
export interface CircuitBreakers {
  thresholds?: CircuitBreakerThresholds[];
  perHostThresholds?: CircuitBreakerThresholds[];
}

/** Note the protobufjs names `consecutive_5xx`. @proto envoy.config.cluster.v3.OutlierDetection */
export interface OutlierDetection {
  consecutive_5xx?: UInt32Value;
  interval?: Duration;
  baseEjectionTime?: Duration;
  maxEjectionPercent?: UInt32Value;
  enforcingConsecutive_5xx?: UInt32Value;
  enforcingSuccessRate?: UInt32Value;
  successRateMinimumHosts?: UInt32Value;
  successRateRequestVolume?: UInt32Value;
  successRateStdevFactor?: UInt32Value;
  consecutiveGatewayFailure?: UInt32Value;
  enforcingConsecutiveGatewayFailure?: UInt32Value;
  splitExternalLocalOriginErrors?: boolean;
  consecutiveLocalOriginFailure?: UInt32Value;
  failurePercentageThreshold?: UInt32Value;
  enforcingFailurePercentage?: UInt32Value;
  failurePercentageMinimumHosts?: UInt32Value;
  failurePercentageRequestVolume?: UInt32Value;
  maxEjectionTime?: Duration;
}

/** @proto envoy.config.cluster.v3.Cluster.CommonLbConfig.ZoneAwareLbConfig */
export interface ZoneAwareLbConfig {
  routingEnabled?: Percent;
  minClusterSize?: UInt64Value;
  failTrafficOnPanic?: boolean;
}

/** @proto envoy.config.cluster.v3.Cluster.CommonLbConfig */
export interface CommonLbConfig {
  healthyPanicThreshold?: Percent;
  zoneAwareLbConfig?: ZoneAwareLbConfig;
  localityWeightedLbConfig?: Record<string, never>;
  updateMergeWindow?: Duration;
  closeConnectionsOnHostSetChange?: boolean;
}

/** @proto envoy.config.cluster.v3.Cluster.RingHashLbConfig */
export interface RingHashLbConfig {
  minimumRingSize?: UInt64Value;
  hashFunction?: 'XX_HASH' | 'MURMUR_HASH_2';
  maximumRingSize?: UInt64Value;
}

/** @proto envoy.config.cluster.v3.Cluster.OriginalDstLbConfig */
export interface OriginalDstLbConfig {
  useHttpHeader?: boolean;
  httpHeaderName?: string;
  upstreamPortOverride?: UInt32Value;
}

/** @proto envoy.config.cluster.v3.Cluster.CustomClusterType */
export interface CustomClusterType {
  name: string;
  typedConfig?: Any;
}

/** @proto envoy.config.cluster.v3.Cluster.TransportSocketMatch */
export interface TransportSocketMatch {
  name: string;
  /** google.protobuf.Struct as plain JSON, matched against endpoint metadata 'envoy.transport_socket_match'. */
  match?: Record<string, unknown>;
  transportSocket?: TransportSocket;
}

/** @proto envoy.config.cluster.v3.LoadBalancingPolicy */
export interface LoadBalancingPolicy {
  policies: Array<{ typedExtensionConfig: TypedExtensionConfig }>;
}

/** @proto envoy.config.core.v3.RuntimeDouble */
export interface RuntimeDouble {
  defaultValue: number;
  runtimeKey: string;
}

/**
 * Slow start: a new host's weight grows from minWeightPercent to its full weight over the window,
 * as (time in window / window) ^ (1 / aggression).
 * @proto envoy.config.cluster.v3.Cluster.SlowStartConfig
 */
export interface SlowStartConfig {
  slowStartWindow?: Duration;
  aggression?: RuntimeDouble;
  minWeightPercent?: Percent;
}

/**
 * One of type | clusterType; at most one of ringHashLbConfig | originalDstLbConfig.
 * @proto envoy.config.cluster.v3.Cluster
 */
export interface Cluster {
  name: string;
  altStatName?: string;
  type?: DiscoveryType;
  /** E.g. an aggregate cluster: { name: 'envoy.clusters.aggregate', typedConfig: AggregateClusterConfig }. */
  clusterType?: CustomClusterType;
  edsClusterConfig?: EdsClusterConfig;
  connectTimeout?: Duration;
  perConnectionBufferLimitBytes?: UInt32Value;
  lbPolicy?: LbPolicy;
  loadAssignment?: ClusterLoadAssignment;
  circuitBreakers?: CircuitBreakers;
  /** Keyed by extension name, e.g. 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'. */
  typedExtensionProtocolOptions?: Record<string, Any>;
  /** @deprecated use typedExtensionProtocolOptions (HttpProtocolOptions). */
  http2ProtocolOptions?: Http2ProtocolOptions;
  upstreamConnectionOptions?: UpstreamConnectionOptions;
  dnsRefreshRate?: Duration;
  respectDnsTtl?: boolean;
  dnsLookupFamily?: 'AUTO' | 'V4_ONLY' | 'V6_ONLY' | 'V4_PREFERRED' | 'ALL';
  outlierDetection?: OutlierDetection;
  cleanupInterval?: Duration;
  ringHashLbConfig?: RingHashLbConfig;
  /** @proto envoy.config.cluster.v3.Cluster.MaglevLbConfig */
  maglevLbConfig?: { tableSize?: UInt64Value };
  /** @proto envoy.config.cluster.v3.Cluster.RoundRobinLbConfig */
  roundRobinLbConfig?: { slowStartConfig?: SlowStartConfig };
  /** @proto envoy.config.cluster.v3.Cluster.LeastRequestLbConfig */
  leastRequestLbConfig?: { choiceCount?: UInt32Value; slowStartConfig?: SlowStartConfig };
  /** Deprecated in Envoy in favour of HttpProtocolOptions; still honoured. */
  maxRequestsPerConnection?: UInt32Value;
  originalDstLbConfig?: OriginalDstLbConfig;
  commonLbConfig?: CommonLbConfig;
  transportSocket?: TransportSocket;
  transportSocketMatches?: TransportSocketMatch[];
  metadata?: Metadata;
  loadBalancingPolicy?: LoadBalancingPolicy;
  waitForWarmOnInit?: BoolValue;
}

/** @proto envoy.extensions.clusters.aggregate.v3.ClusterConfig */
export interface AggregateClusterConfig {
  /** Cluster names in priority order. */
  clusters: string[];
}

/** @proto envoy.config.core.v3.TcpKeepalive */
export interface TcpKeepalive {
  keepaliveProbes?: UInt32Value;
  keepaliveTime?: UInt32Value;
  keepaliveInterval?: UInt32Value;
}

/** @proto envoy.config.cluster.v3.UpstreamConnectionOptions */
export interface UpstreamConnectionOptions {
  tcpKeepalive?: TcpKeepalive;
}
