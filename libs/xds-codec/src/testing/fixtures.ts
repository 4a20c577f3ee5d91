/**
 * Realistic Istio-like xDS resources in plain protobufjs object form, for tests. Written without
 * @mizzen/xds-types (a util library may not depend on core); a conformance test checks the
 * xds-types field names against the protos instead.
 */
const T = {
  Listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  RouteConfiguration: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  Cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  ClusterLoadAssignment: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  Hcm: 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  TcpProxy: 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
  Router: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  Fault: 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
  Rbac: 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC',
  Cors: 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors',
  TlsInspector: 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
  OriginalDst: 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst',
  UpstreamTls: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  DownstreamTls: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
  HttpProtocolOptions: 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  Aggregate: 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig',
} as const;
export { T as FixtureTypeUrl };

const ads = { ads: {}, resourceApiVersion: 'V3' };
const HOST = 'reviews.default.svc.cluster.local';
const OUT = `outbound|9080||${HOST}`;

const sdsCommonTls = {
  tlsCertificateSdsSecretConfigs: [{ name: 'default', sdsConfig: ads }],
  combinedValidationContext: {
    defaultValidationContext: {
      matchTypedSubjectAltNames: [
        { sanType: 'URI', matcher: { exact: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews' } },
      ],
    },
    validationContextSdsSecretConfig: { name: 'ROOTCA', sdsConfig: ads },
  },
  alpnProtocols: ['istio-peer-exchange', 'istio'],
};

/** Sidecar outbound HTTP listener 0.0.0.0_9080: original_dst + tls_inspector, HCM over RDS, fault + router. */
export const outboundListener = {
  name: '0.0.0.0_9080',
  address: { socketAddress: { address: '0.0.0.0', portValue: 9080, protocol: 'TCP' } },
  trafficDirection: 'OUTBOUND',
  bindToPort: { value: false },
  listenerFilters: [
    { name: 'envoy.filters.listener.tls_inspector', typedConfig: { '@type': T.TlsInspector } },
    { name: 'envoy.filters.listener.original_dst', typedConfig: { '@type': T.OriginalDst } },
  ],
  listenerFiltersTimeout: { seconds: 0 },
  continueOnListenerFiltersTimeout: true,
  filterChains: [
    {
      name: '0.0.0.0_9080',
      filterChainMatch: { transportProtocol: 'raw_buffer', applicationProtocols: ['http/1.1', 'h2c'] },
      filters: [
        {
          name: 'envoy.filters.network.http_connection_manager',
          typedConfig: {
            '@type': T.Hcm,
            statPrefix: 'outbound_0.0.0.0_9080',
            codecType: 'AUTO',
            rds: { routeConfigName: '9080', configSource: { ...ads, initialFetchTimeout: { seconds: 0 } } },
            httpFilters: [
              {
                name: 'envoy.filters.http.fault',
                typedConfig: {
                  '@type': T.Fault,
                  delay: { fixedDelay: { seconds: 2 }, percentage: { numerator: 10, denominator: 'HUNDRED' } },
                  abort: { httpStatus: 503, percentage: { numerator: 5, denominator: 'HUNDRED' } },
                },
              },
              { name: 'envoy.filters.http.cors', typedConfig: { '@type': T.Cors } },
              { name: 'envoy.filters.http.router', typedConfig: { '@type': T.Router, suppressEnvoyHeaders: true } },
            ],
            httpProtocolOptions: { acceptHttp_10: true },
            commonHttpProtocolOptions: { idleTimeout: { seconds: 3600 } },
            upgradeConfigs: [{ upgradeType: 'websocket' }],
            useRemoteAddress: { value: false },
            xffNumTrustedHops: 1,
            normalizePath: { value: true },
            pathWithEscapedSlashesAction: 'KEEP_UNCHANGED',
            streamIdleTimeout: { seconds: 0 },
            forwardClientCertDetails: 'APPEND_FORWARD',
          },
        },
      ],
    },
    {
      name: 'PassthroughFilterChain',
      filterChainMatch: { destinationPort: { value: 9080 }, prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: { value: 8 } }] },
      filters: [
        {
          name: 'envoy.filters.network.tcp_proxy',
          typedConfig: { '@type': T.TcpProxy, statPrefix: 'PassthroughCluster', cluster: 'PassthroughCluster' },
        },
      ],
    },
  ],
  metadata: { filterMetadata: { 'istio.io': { service: HOST, ports: [9080], tls: false, extra: null } } },
};

/** Sidecar inbound listener with mTLS (DownstreamTlsContext over SDS) and an inline route config. */
export const inboundListener = {
  name: 'virtualInbound',
  address: { socketAddress: { address: '0.0.0.0', portValue: 15006 } },
  trafficDirection: 'INBOUND',
  useOriginalDst: { value: true },
  filterChains: [
    {
      filterChainMatch: { destinationPort: { value: 9080 }, transportProtocol: 'tls' },
      transportSocket: {
        name: 'envoy.transport_sockets.tls',
        typedConfig: { '@type': T.DownstreamTls, commonTlsContext: sdsCommonTls, requireClientCertificate: { value: true } },
      },
      filters: [
        {
          name: 'envoy.filters.network.http_connection_manager',
          typedConfig: {
            '@type': T.Hcm,
            statPrefix: 'inbound_0.0.0.0_9080',
            routeConfig: {
              name: 'inbound|9080||',
              virtualHosts: [
                {
                  name: 'inbound|http|9080',
                  domains: ['*'],
                  routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster: 'inbound|9080||', timeout: { seconds: 0 } } }],
                },
              ],
              validateClusters: { value: false },
            },
            httpFilters: [{ name: 'envoy.filters.http.router', typedConfig: { '@type': T.Router } }],
          },
        },
      ],
    },
  ],
};

export const routeConfiguration = {
  name: '9080',
  validateClusters: { value: false },
  ignorePortInHostMatching: true,
  requestHeadersToAdd: [{ header: { key: 'x-mesh', value: 'mizzen' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
  requestHeadersToRemove: ['x-internal'],
  responseHeadersToAdd: [{ header: { key: 'x-served-by', value: 'mizzen' } }],
  responseHeadersToRemove: ['server'],
  virtualHosts: [
    {
      name: `${HOST}:9080`,
      domains: [HOST, `${HOST}:9080`, 'reviews', 'reviews:9080', 'reviews.default', '10.96.0.17', '10.96.0.17:9080'],
      retryPolicy: { retryOn: 'connect-failure,refused-stream,unavailable', numRetries: { value: 2 } },
      requestHeadersToAdd: [{ header: { key: 'x-vhost', value: 'reviews' }, appendAction: 'APPEND_IF_EXISTS_OR_ADD' }],
      routes: [
        {
          name: 'jason-v2',
          match: {
            prefix: '/',
            caseSensitive: { value: true },
            headers: [
              { name: 'end-user', stringMatch: { exact: 'jason' } },
              { name: 'x-canary', presentMatch: true },
              { name: 'x-old', exactMatch: 'legacy' },
              { name: 'x-re', safeRegexMatch: { regex: '^v[0-9]+$' } },
              { name: 'x-p', prefixMatch: 'pre' },
              { name: 'x-s', suffixMatch: 'suf', invertMatch: true },
              { name: 'user-agent', stringMatch: { safeRegex: { regex: '.*Chrome.*' }, ignoreCase: true } },
              { name: 'x-c', stringMatch: { contains: 'mid' } },
              { name: 'x-range', rangeMatch: { start: 1, end: 10 } },
            ],
            queryParameters: [{ name: 'debug', stringMatch: { exact: '1' } }, { name: 'trace', presentMatch: true }],
            runtimeFraction: { defaultValue: { numerator: 50, denominator: 'HUNDRED' }, runtimeKey: 'routing.canary' },
          },
          route: { cluster: `outbound|9080|v2|${HOST}`, timeout: { seconds: 10 }, maxStreamDuration: { maxStreamDuration: { seconds: 30 }, grpcTimeoutHeaderMax: { seconds: 30 } } },
          decorator: { operation: `${HOST}:9080/*` },
          typedPerFilterConfig: {
            'envoy.filters.http.fault': { '@type': T.Fault, abort: { grpcStatus: 14, percentage: { numerator: 100 } } },
          },
          metadata: { filterMetadata: { istio: { config: '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews' } } },
        },
        {
          name: 'split',
          match: { pathSeparatedPrefix: '/api' },
          route: {
            weightedClusters: {
              clusters: [
                { name: `outbound|9080|v1|${HOST}`, weight: { value: 75 }, requestHeadersToAdd: [{ header: { key: 'x-version', value: 'v1' } }] },
                { name: `outbound|9080|v3|${HOST}`, weight: { value: 25 }, responseHeadersToRemove: ['x-debug'] },
              ],
              totalWeight: { value: 100 },
            },
            timeout: { seconds: 0, nanos: 500_000_000 },
            retryPolicy: {
              retryOn: '5xx,retriable-status-codes',
              numRetries: { value: 3 },
              perTryTimeout: { seconds: 2 },
              retryBackOff: { baseInterval: { nanos: 25_000_000, seconds: 0 }, maxInterval: { seconds: 1 } },
              retriableStatusCodes: [503, 504],
              hostSelectionRetryMaxAttempts: 5,
            },
            requestMirrorPolicies: [
              { cluster: `outbound|9080|mirror|${HOST}`, runtimeFraction: { defaultValue: { numerator: 10, denominator: 'HUNDRED' } } },
            ],
            hashPolicy: [{ header: { headerName: 'x-user' } }, { connectionProperties: { sourceIp: true }, terminal: true }],
            regexRewrite: { pattern: { regex: '^/api/(.*)$' }, substitution: '/\\1' },
            hostRewriteLiteral: 'reviews.internal',
          },
        },
        { name: 'exact', match: { path: '/healthz', grpc: {} }, directResponse: { status: 200, body: { inlineString: 'ok' } } },
        { name: 'regex', match: { safeRegex: { regex: '^/v[12]/.*' } }, route: { clusterHeader: 'x-cluster', prefixRewrite: '/' } },
        { name: 'redirect', match: { prefix: '/old' }, redirect: { hostRedirect: 'new.example.com', pathRedirect: '/new', responseCode: 'PERMANENT_REDIRECT', httpsRedirect: true } },
      ],
    },
    { name: 'allow_any', domains: ['*'], routes: [{ name: 'allow_any', match: { prefix: '/' }, route: { cluster: 'PassthroughCluster', timeout: { seconds: 0 } } }] },
  ],
};

/** EDS cluster with mTLS, HTTP/2 upstream, circuit breakers, outlier detection, Istio metadata. */
export const edsCluster = {
  name: OUT,
  altStatName: `${HOST}_9080`,
  type: 'EDS',
  edsClusterConfig: { edsConfig: { ...ads, initialFetchTimeout: { seconds: 0 } }, serviceName: OUT },
  connectTimeout: { seconds: 10 },
  lbPolicy: 'ROUND_ROBIN',
  circuitBreakers: {
    thresholds: [{ priority: 'DEFAULT', maxConnections: { value: 4294967295 }, maxPendingRequests: { value: 1024 }, maxRequests: { value: 4294967295 }, maxRetries: { value: 3 }, trackRemaining: true }],
  },
  outlierDetection: {
    consecutive_5xx: { value: 5 },
    interval: { seconds: 10 },
    baseEjectionTime: { seconds: 30 },
    maxEjectionPercent: { value: 100 },
    enforcingConsecutive_5xx: { value: 100 },
    enforcingSuccessRate: { value: 0 },
  },
  commonLbConfig: { healthyPanicThreshold: { value: 0 }, localityWeightedLbConfig: {} },
  typedExtensionProtocolOptions: {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': T.HttpProtocolOptions,
      commonHttpProtocolOptions: { idleTimeout: { seconds: 3600 }, maxRequestsPerConnection: { value: 1024 } },
      useDownstreamProtocolConfig: { httpProtocolOptions: {}, http2ProtocolOptions: { maxConcurrentStreams: { value: 1073741824 } } },
    },
  },
  transportSocket: {
    name: 'envoy.transport_sockets.tls',
    typedConfig: {
      '@type': T.UpstreamTls,
      sni: `outbound_.9080_._.${HOST}`,
      commonTlsContext: { ...sdsCommonTls, tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' } },
    },
  },
  metadata: {
    filterMetadata: {
      istio: { services: [{ host: HOST, name: 'reviews', namespace: 'default' }], default_original_port: 9080, subset: '', healthy: true },
    },
  },
};

export const ringHashCluster = {
  name: `outbound|9080|sticky|${HOST}`,
  type: 'EDS',
  edsClusterConfig: { edsConfig: ads },
  lbPolicy: 'RING_HASH',
  ringHashLbConfig: { minimumRingSize: { value: 1024 }, maximumRingSize: { value: 8388608 }, hashFunction: 'XX_HASH' },
};

export const originalDstCluster = {
  name: 'PassthroughCluster',
  type: 'ORIGINAL_DST',
  connectTimeout: { seconds: 10 },
  lbPolicy: 'CLUSTER_PROVIDED',
  originalDstLbConfig: { useHttpHeader: true },
};

export const strictDnsCluster = {
  name: 'outbound|443||api.example.com',
  type: 'STRICT_DNS',
  dnsLookupFamily: 'V4_ONLY',
  dnsRefreshRate: { seconds: 60 },
  respectDnsTtl: true,
  loadAssignment: {
    clusterName: 'outbound|443||api.example.com',
    endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: 'api.example.com', portValue: 443 } } } }] }],
  },
};

export const aggregateCluster = {
  name: 'aggregate',
  clusterType: { name: 'envoy.clusters.aggregate', typedConfig: { '@type': T.Aggregate, clusters: [OUT, 'PassthroughCluster'] } },
  lbPolicy: 'CLUSTER_PROVIDED',
};

export const clusterLoadAssignment = {
  clusterName: OUT,
  endpoints: [
    {
      locality: { region: 'us-east1', zone: 'us-east1-b', subZone: 'rack-1' },
      loadBalancingWeight: { value: 2 },
      priority: 0,
      lbEndpoints: [
        {
          endpoint: { address: { socketAddress: { address: '10.244.1.7', portValue: 9080 } }, healthCheckConfig: { portValue: 15021 } },
          healthStatus: 'HEALTHY',
          loadBalancingWeight: { value: 1 },
          metadata: {
            filterMetadata: {
              'envoy.transport_socket_match': { tlsMode: 'istio' },
              istio: { workload: 'reviews-v1;default;reviews;v1;Kubernetes' },
            },
          },
        },
        {
          endpoint: { address: { socketAddress: { address: '10.244.1.8', portValue: 9080 } } },
          healthStatus: 'DRAINING',
          loadBalancingWeight: { value: 1 },
        },
      ],
    },
    {
      locality: { region: 'us-west1', zone: 'us-west1-a' },
      loadBalancingWeight: { value: 1 },
      priority: 1,
      lbEndpoints: [{ endpoint: { address: { socketAddress: { address: 'fd00::7', portValue: 9080 } } }, healthStatus: 'UNHEALTHY' }],
    },
  ],
  policy: { overprovisioningFactor: { value: 140 }, dropOverloads: [{ category: 'lb', dropPercentage: { numerator: 1, denominator: 'MILLION' } }] },
};

/** [type URL, resource] pairs covering every resource type. */
export const allResources: Array<[string, Record<string, unknown>]> = [
  [T.Listener, outboundListener],
  [T.Listener, inboundListener],
  [T.RouteConfiguration, routeConfiguration],
  [T.Cluster, edsCluster],
  [T.Cluster, ringHashCluster],
  [T.Cluster, originalDstCluster],
  [T.Cluster, strictDnsCluster],
  [T.Cluster, aggregateCluster],
  [T.ClusterLoadAssignment, clusterLoadAssignment],
];

/** Removes empty arrays (toObject with arrays:true adds one per absent repeated field), recursively. */
export function pruneEmptyArrays(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneEmptyArrays);
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (Array.isArray(x) && x.length === 0) continue;
      out[k] = pruneEmptyArrays(x);
    }
    return out;
  }
  return v;
}
