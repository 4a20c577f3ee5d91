/** Type URLs of the Envoy v3 messages Mizzen sends in Anys (resources and typed_config). */
export const TypeUrl = {
  Listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  RouteConfiguration: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  Cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  ClusterLoadAssignment: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  /** Istio's PCDS resource (istio-agent reads the mesh's extra trust anchors from it). */
  ProxyConfig: 'type.googleapis.com/istio.mesh.v1alpha1.ProxyConfig',
  /** SDS: a TLS certificate or validation context by name (gateway `credentialName` secrets over ADS). */
  Secret: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
  HttpConnectionManager:
    'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  TcpProxy: 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
  NetworkRBAC: 'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC',
  Router: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  HTTPFault: 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
  RBAC: 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC',
  RBACPerRoute: 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute',
  Cors: 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors',
  CorsPolicy: 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy',
  ExtAuthz: 'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz',
  JwtAuthentication: 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
  LocalRateLimit: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
  TlsInspector: 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
  HttpInspector: 'type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector',
  OriginalDst: 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst',
  UpstreamTlsContext: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  DownstreamTlsContext: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
  /**
   * The plaintext transport socket's config. Not in the codec's proto set: Pilot sends it wrapped in
   * a TypedStruct (see pilot-core `RAW_BUFFER_TRANSPORT_SOCKET`), which Envoy resolves to the same
   * extension.
   */
  RawBuffer: 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer',
  /** PROXY protocol header before the wrapped transport's bytes (envoy.transport_sockets.upstream_proxy_protocol). */
  ProxyProtocolUpstreamTransport: 'type.googleapis.com/envoy.extensions.transport_sockets.proxy_protocol.v3.ProxyProtocolUpstreamTransport',
  HttpProtocolOptions: 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  AggregateClusterConfig: 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig',
  RingHash: 'type.googleapis.com/envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash',
  RoundRobin: 'type.googleapis.com/envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin',
  WrrLocality: 'type.googleapis.com/envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality',
  TypedStruct: 'type.googleapis.com/xds.type.v3.TypedStruct',
  /** Wraps a resource in a delta response or with a TTL in SotW. */
  Resource: 'type.googleapis.com/envoy.service.discovery.v3.Resource',
} as const;

export type TypeUrlValue = (typeof TypeUrl)[keyof typeof TypeUrl];

/** The xDS resource types Mizzen serves: Envoy's four, SDS, and Istio's PCDS. */
export type ResourceTypeUrl =
  | typeof TypeUrl.ProxyConfig
  | typeof TypeUrl.Secret
  | typeof TypeUrl.Listener
  | typeof TypeUrl.RouteConfiguration
  | typeof TypeUrl.Cluster
  | typeof TypeUrl.ClusterLoadAssignment;

/**
 * The extension names Istio uses for filters (the `name` beside a typed_config). Envoy selects an
 * extension by the typed_config's type URL, the name is informational; grpc-js-xds ignores it.
 */
export const FilterName = {
  HttpConnectionManager: 'envoy.filters.network.http_connection_manager',
  TcpProxy: 'envoy.filters.network.tcp_proxy',
  NetworkRbac: 'envoy.filters.network.rbac',
  Router: 'envoy.filters.http.router',
  Fault: 'envoy.filters.http.fault',
  Rbac: 'envoy.filters.http.rbac',
  Cors: 'envoy.filters.http.cors',
  ExtAuthz: 'envoy.filters.http.ext_authz',
  JwtAuthn: 'envoy.filters.http.jwt_authn',
  LocalRateLimit: 'envoy.filters.http.local_ratelimit',
  TlsInspector: 'envoy.filters.listener.tls_inspector',
  HttpInspector: 'envoy.filters.listener.http_inspector',
  OriginalDst: 'envoy.filters.listener.original_dst',
  Tls: 'envoy.transport_sockets.tls',
  RawBuffer: 'envoy.transport_sockets.raw_buffer',
  UpstreamProxyProtocol: 'envoy.transport_sockets.upstream_proxy_protocol',
  HttpProtocolOptions: 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
} as const;
