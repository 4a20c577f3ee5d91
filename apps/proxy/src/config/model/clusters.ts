import { adsSecretNames, type UpstreamTlsConfig } from './tls';

/** Cluster discovery types we implement (Cluster.type). */
export type DiscoveryType = 'STATIC' | 'EDS' | 'ORIGINAL_DST' | 'STRICT_DNS' | 'LOGICAL_DNS';

export type LbPolicy = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'RING_HASH' | 'MAGLEV';

/** Envoy's HealthStatus. UNKNOWN and HEALTHY endpoints take traffic; DEGRADED only as a fallback. */
export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

export interface LbEndpoint {
  /** IP literal (or a host name for *_DNS clusters). */
  host: string;
  port: number;
  /** load_balancing_weight, >= 1 (default 1). */
  weight: number;
  health: HealthStatus;
  /** `region/zone/subzone`, empty when absent. */
  locality: string;
  /** Locality priority: 0 is preferred. */
  priority: number;
  /** The locality's load_balancing_weight (0 when unset); used only with locality-weighted LB. */
  localityWeight: number;
  /** metadata.filter_metadata['envoy.transport_socket_match'] (Istio: `{tlsMode: istio}`), matched by transport_socket_matches. */
  transportSocketMatch?: Readonly<Record<string, unknown>>;
}

export interface EndpointAssignment {
  clusterName: string;
  endpoints: readonly LbEndpoint[];
  /** policy.overprovisioning_factor as a ratio (Envoy default 140 -> 1.4). */
  overprovisioningFactor: number;
}

/** Envoy's default overprovisioning factor (140 %). */
export const DEFAULT_OVERPROVISIONING_FACTOR = 1.4;

export function emptyAssignment(clusterName: string): EndpointAssignment {
  return { clusterName, endpoints: [], overprovisioningFactor: DEFAULT_OVERPROVISIONING_FACTOR };
}

/**
 * An upstream transport socket: `raw_buffer` (plaintext) or `envoy.transport_sockets.tls` with its
 * UpstreamTlsContext. `name` is the transport socket's name as configured.
 */
export type TransportSpec = ({ name: string; tls?: undefined } | { name: string; tls: UpstreamTlsConfig }) & {
  /** upstream_proxy_protocol wrapping this transport: the PROXY protocol version each connection starts with. */
  proxyProtocol?: 1 | 2;
};

export const PLAINTEXT: TransportSpec = { name: 'raw_buffer' };

/**
 * One of Cluster.transport_socket_matches: `match` is compared with the endpoint's
 * `envoy.transport_socket_match` metadata (every key equal; empty matches all).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto#config-cluster-v3-cluster-transportsocketmatch
 */
export interface TransportSocketMatchConfig {
  name: string;
  match: Readonly<Record<string, unknown>>;
  transport: TransportSpec;
}

/**
 * The HTTP codec towards the cluster's hosts: HTTP/2 (h2c over plaintext) when the cluster carries
 * http2_protocol_options (directly, deprecated, or in HttpProtocolOptions.explicit_http_config);
 * `downstream` (use_downstream_protocol_config) speaks whatever the downstream request used.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/upstreams/http/v3/http_protocol_options.proto
 */
export type UpstreamProtocol = 'http1' | 'http2' | 'downstream';


/**
 * circuit_breakers.thresholds (DEFAULT priority). Envoy's defaults: 1024 connections, pending
 * requests and requests, 3 retries. Istio sends 2^32-1 unless a DestinationRule limits them.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/circuit_breaking
 */
export interface CircuitBreakerLimits {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  maxRetries: number;
  /** track_remaining: publish `circuit_breakers.default.remaining_*` gauges. */
  trackRemaining: boolean;
}

/**
 * The consecutive-error parts of OutlierDetection, with Envoy's defaults filled in. Enforcing
 * values are percentages in [0, 100].
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/outlier_detection.proto
 */
export interface OutlierDetectionConfig {
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionTimeMs: number;
  maxEjectionPercent: number;
  consecutive5xx: number;
  enforcingConsecutive5xx: number;
  consecutiveGatewayFailure: number;
  enforcingConsecutiveGatewayFailure: number;
  splitExternalLocalOriginErrors: boolean;
  consecutiveLocalOriginFailure: number;
  enforcingConsecutiveLocalOriginFailure: number;
}

/** RING_HASH (ring_hash_lb_config) and MAGLEV (maglev_lb_config) settings. */
export interface HashLbConfig {
  /** Envoy defaults: minimum 1024, maximum 8M entries. */
  minimumRingSize: number;
  maximumRingSize: number;
  /** Maglev table size, a prime (Envoy default 65537). */
  tableSize: number;
}

/**
 * Envoy slow start: a host added less than `windowMs` ago gets its weight scaled by
 * max(minWeightPercent / 100, (age / window) ^ (1 / aggression)).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/slow_start
 */
export interface SlowStartSettings {
  windowMs: number;
  aggression: number;
  /** Percent of the full weight a host starts with (Envoy default 10). */
  minWeightPercent: number;
}

export interface ClusterConfig {
  name: string;
  type: DiscoveryType;
  lbPolicy: LbPolicy;
  connectTimeoutMs: number;
  /** EDS clusters: the ClusterLoadAssignment name to subscribe to. */
  edsServiceName?: string;
  /** STATIC and *_DNS clusters: endpoints given inline. */
  loadAssignment?: EndpointAssignment;
  /** The cluster's transport_socket: used for endpoints no transport_socket_matches entry matches. */
  transport: TransportSpec;
  /** First match wins per endpoint. */
  transportSocketMatches: readonly TransportSocketMatchConfig[];
  protocol: UpstreamProtocol;
  /** HTTP/2 only: streams per connection before another connection opens (max_concurrent_streams; Envoy default 2^31-1). */
  maxConcurrentStreams: number;
  /** LEAST_REQUEST: hosts sampled per pick (Envoy default 2). */
  choiceCount: number;
  circuitBreakers: CircuitBreakerLimits;
  /** max_requests_per_connection from http protocol options (or the deprecated cluster field); 0 = unlimited. */
  maxRequestsPerConnection: number;
  /** common_http_protocol_options.idle_timeout: close an upstream connection idle this long (unset: the pool's default). */
  idleTimeoutMs?: number;
  /** common_http_protocol_options.max_connection_duration: a connection this old takes no new requests and closes when idle (unset: no limit). */
  maxConnectionDurationMs?: number;
  /** upstream_connection_options.tcp_keepalive.keepalive_time in ms (TCP keepalive is always on). */
  tcpKeepaliveMs?: number;
  /** common_lb_config.healthy_panic_threshold as a fraction (Envoy default 0.5); 0 disables panic. */
  panicThreshold: number;
  /** common_lb_config.locality_weighted_lb_config is set. */
  localityWeighted: boolean;
  hashLb: HashLbConfig;
  /** ROUND_ROBIN / LEAST_REQUEST slow start (round_robin_lb_config / least_request_lb_config). */
  slowStart?: SlowStartSettings;
  outlierDetection?: OutlierDetectionConfig;
  /** ORIGINAL_DST: how long an unused host is kept (Envoy default 5 s). */
  cleanupIntervalMs: number;
}

/** SDS names a cluster's transports fetch over ADS (the SDS subscription follows CDS). */
export function clusterAdsSecrets(c: ClusterConfig): string[] {
  return [c.transport.tls, ...c.transportSocketMatches.map((m) => m.transport.tls)].flatMap(adsSecretNames);
}
