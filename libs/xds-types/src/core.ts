/**
 * envoy.config.core.v3 and envoy.type.v3 messages Mizzen uses.
 * Field names are protobufjs's camelCase (note: it keeps an underscore before a digit, e.g.
 * `consecutive_5xx`, where proto3 JSON would say `consecutive5xx`).
 * Each interface names its message with an `@proto` tag; a conformance test in xds-codec checks
 * every field name against the loaded protos.
 */
import type { Any, BoolValue, Duration, JsonObject, UInt32Value } from './wkt';

/** @proto envoy.config.core.v3.SocketAddress */
export interface SocketAddress {
  protocol?: 'TCP' | 'UDP';
  /** An IP literal (or a hostname for STRICT_DNS / LOGICAL_DNS clusters). */
  address: string;
  portValue?: number;
  namedPort?: string;
  resolverName?: string;
  ipv4Compat?: boolean;
}

/** @proto envoy.config.core.v3.Pipe */
export interface Pipe {
  path: string;
  mode?: number;
}

/** @proto envoy.config.core.v3.EnvoyInternalAddress */
export interface EnvoyInternalAddress {
  serverListenerName?: string;
  endpointId?: string;
}

/** One of socketAddress | pipe | envoyInternalAddress. @proto envoy.config.core.v3.Address */
export interface Address {
  socketAddress?: SocketAddress;
  pipe?: Pipe;
  envoyInternalAddress?: EnvoyInternalAddress;
}

/** @proto envoy.config.core.v3.CidrRange */
export interface CidrRange {
  addressPrefix: string;
  prefixLen?: UInt32Value;
}

/** @proto envoy.config.core.v3.Locality */
export interface Locality {
  region?: string;
  zone?: string;
  subZone?: string;
}

/** @proto envoy.config.core.v3.Node */
export interface Node {
  id: string;
  cluster?: string;
  /** google.protobuf.Struct as plain JSON (Istio puts ISTIO_VERSION, LABELS, NAMESPACE... here). */
  metadata?: JsonObject;
  locality?: Locality;
  userAgentName?: string;
  userAgentVersion?: string;
  clientFeatures?: string[];
}

/** @proto envoy.config.core.v3.Metadata */
export interface Metadata {
  /** Filter name -> google.protobuf.Struct as plain JSON. */
  filterMetadata?: Record<string, JsonObject>;
  typedFilterMetadata?: Record<string, Any>;
}

export type ApiVersion = 'AUTO' | 'V2' | 'V3';

/** @proto envoy.config.core.v3.AggregatedConfigSource */
export type AggregatedConfigSource = Record<string, never>;

/** @proto envoy.config.core.v3.SelfConfigSource */
export interface SelfConfigSource {
  transportApiVersion?: ApiVersion;
}

/** @proto envoy.config.core.v3.GrpcService.EnvoyGrpc */
export interface EnvoyGrpc {
  /** A cluster of the proxy's bootstrap or CDS (Istio: `sds-grpc`, the agent's SDS server). */
  clusterName: string;
  authority?: string;
}

/** One of envoyGrpc | googleGrpc (only envoyGrpc here). @proto envoy.config.core.v3.GrpcService */
export interface GrpcService {
  envoyGrpc?: EnvoyGrpc;
  timeout?: Duration;
}

export type ApiType = 'DELTA_GRPC' | 'GRPC' | 'REST' | 'AGGREGATED_GRPC' | 'AGGREGATED_DELTA_GRPC';

/** @proto envoy.config.core.v3.ApiConfigSource */
export interface ApiConfigSource {
  apiType: ApiType;
  transportApiVersion?: ApiVersion;
  grpcServices?: GrpcService[];
  setNodeOnFirstMessageOnly?: boolean;
}

/** One of ads | self | apiConfigSource. @proto envoy.config.core.v3.ConfigSource */
export interface ConfigSource {
  ads?: AggregatedConfigSource;
  self?: SelfConfigSource;
  apiConfigSource?: ApiConfigSource;
  initialFetchTimeout?: Duration;
  resourceApiVersion?: ApiVersion;
}

/** @proto envoy.config.core.v3.HeaderValue */
export interface HeaderValue {
  key: string;
  value?: string;
}

export type HeaderAppendAction =
  | 'APPEND_IF_EXISTS_OR_ADD'
  | 'ADD_IF_ABSENT'
  | 'OVERWRITE_IF_EXISTS_OR_ADD'
  | 'OVERWRITE_IF_EXISTS';

/** @proto envoy.config.core.v3.HeaderValueOption */
export interface HeaderValueOption {
  header: HeaderValue;
  /** @deprecated use appendAction. */
  append?: BoolValue;
  appendAction?: HeaderAppendAction;
  keepEmptyValue?: boolean;
}

/** @proto envoy.config.core.v3.TransportSocket */
export interface TransportSocket {
  name: string;
  typedConfig?: Any;
}

/** V1 (text, the proto default) or V2 (binary). @proto envoy.config.core.v3.ProxyProtocolConfig */
export interface ProxyProtocolConfig {
  version?: 'V1' | 'V2';
}

/** @proto envoy.extensions.transport_sockets.proxy_protocol.v3.ProxyProtocolUpstreamTransport */
export interface ProxyProtocolUpstreamTransport {
  config?: ProxyProtocolConfig;
  transportSocket: TransportSocket;
}

/** @proto envoy.config.core.v3.TypedExtensionConfig */
export interface TypedExtensionConfig {
  name: string;
  typedConfig: Any;
}

/** One of filename | inlineBytes (base64) | inlineString | environmentVariable. @proto envoy.config.core.v3.DataSource */
export interface DataSource {
  filename?: string;
  inlineBytes?: string;
  inlineString?: string;
  environmentVariable?: string;
}

export type DenominatorType = 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';

/** @proto envoy.type.v3.FractionalPercent */
export interface FractionalPercent {
  numerator?: number;
  denominator?: DenominatorType;
}

/** @proto envoy.type.v3.Percent */
export interface Percent {
  value: number;
}

/** @proto envoy.config.core.v3.RuntimeFractionalPercent */
export interface RuntimeFractionalPercent {
  defaultValue: FractionalPercent;
  runtimeKey?: string;
}

/** @proto envoy.type.v3.Int64Range */
export interface Int64Range {
  start: number;
  end: number;
}

export type RoutingPriority = 'DEFAULT' | 'HIGH';
export type TrafficDirection = 'UNSPECIFIED' | 'INBOUND' | 'OUTBOUND';
export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

/** @proto envoy.config.core.v3.HttpProtocolOptions */
export interface HttpProtocolOptions {
  idleTimeout?: Duration;
  maxConnectionDuration?: Duration;
  maxHeadersCount?: UInt32Value;
  maxStreamDuration?: Duration;
  headersWithUnderscoresAction?: 'ALLOW' | 'REJECT_REQUEST' | 'DROP_HEADER';
  maxRequestsPerConnection?: UInt32Value;
}

/** @proto envoy.config.core.v3.Http1ProtocolOptions */
export interface Http1ProtocolOptions {
  allowAbsoluteUrl?: BoolValue;
  acceptHttp_10?: boolean;
  defaultHostForHttp_10?: string;
  enableTrailers?: boolean;
  allowChunkedLength?: boolean;
}

/** @proto envoy.config.core.v3.Http2ProtocolOptions */
export interface Http2ProtocolOptions {
  hpackTableSize?: UInt32Value;
  maxConcurrentStreams?: UInt32Value;
  initialStreamWindowSize?: UInt32Value;
  initialConnectionWindowSize?: UInt32Value;
  allowConnect?: boolean;
  allowMetadata?: boolean;
}

/** @proto envoy.config.core.v3.UpstreamHttpProtocolOptions */
export interface UpstreamHttpProtocolOptions {
  autoSni?: boolean;
  autoSanValidation?: boolean;
  overrideAutoSniHeader?: string;
}

/** @proto envoy.config.core.v3.ControlPlane */
export interface ControlPlane {
  identifier: string;
}

/**
 * A typed_config given as JSON: Envoy finds the extension by `typeUrl` and converts `value` into
 * that message. @proto xds.type.v3.TypedStruct
 */
export interface TypedStruct {
  typeUrl: string;
  value?: JsonObject;
}
