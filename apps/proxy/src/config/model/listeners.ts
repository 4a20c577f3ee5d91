import type { FaultConfig, RouteConfig } from './routes';
import type { HttpSecurityFilter, NetworkRbacConfig } from './security';
import { adsSecretNames, type DownstreamTlsConfig } from './tls';

export type RouteSource = { kind: 'rds'; name: string } | { kind: 'inline'; config: RouteConfig };

/**
 * HttpConnectionManager codec_type. AUTO picks HTTP/2 when TLS negotiated ALPN `h2` or a plaintext
 * connection starts with the HTTP/2 preface (h2c prior knowledge), else HTTP/1.1.
 */
export type HttpCodec = 'auto' | 'http1' | 'http2';

/** Downstream HTTP/2 settings we apply (Http2ProtocolOptions). */
export interface Http2Settings {
  /** SETTINGS_MAX_CONCURRENT_STREAMS (Envoy default 2147483647). */
  maxConcurrentStreams: number;
  /** Unset: node's default (64 KiB), not Envoy's 256 MiB. */
  initialStreamWindowSize?: number;
  initialConnectionWindowSize?: number;
}

/**
 * The HttpConnectionManager settings we honour.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
 */
export interface HttpConnectionManagerConfig {
  statPrefix: string;
  codec: HttpCodec;
  http2: Http2Settings;
  routes: RouteSource;
  useRemoteAddress: boolean;
  generateRequestId: boolean;
  serverName: string;
  serverHeader: 'overwrite' | 'append-if-absent' | 'pass-through';
  /** Downstream connection idle timeout (Envoy default 1 h); 0 disables. */
  idleTimeoutMs: number;
  /** Envoy's request_timeout: time allowed to receive the whole request (default 0, disabled). */
  requestTimeoutMs: number;
  /** Grace period during which a draining listener asks clients to close (Envoy default 5 s). */
  drainTimeoutMs: number;
  /** Lower-cased upgrade types enabled by upgrade_configs (e.g. `websocket`). */
  upgrades: readonly string[];
  /** Present when the fault filter is in the chain: its own config (per-route config overrides). */
  fault?: FaultConfig;
  /** The CORS filter is in the chain (its policies are per route / virtual host). */
  cors?: boolean;
  /** RBAC, jwt_authn and ext_authz filters in config order; they run before the fault filter and routing. */
  securityFilters?: readonly HttpSecurityFilter[];
  /** xff_num_trusted_hops: which x-forwarded-for entry is the client (RBAC `remote_ip`). */
  xffNumTrustedHops?: number;
}

/**
 * TcpProxy: one cluster or weighted clusters; idle timeout (Envoy default 1 h, 0 disables) and
 * connect attempts (default 1).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto
 */
export interface TcpProxyConfig {
  statPrefix: string;
  clusters: ReadonlyArray<{ name: string; weight: number }>;
  totalWeight: number;
  idleTimeoutMs: number;
  maxConnectAttempts: number;
  /** tunneling_config: the stream goes over HTTP/1.1 CONNECT (or POST) to the upstream host. */
  tunneling?: TcpTunnelingConfig;
}

/**
 * TcpProxy.TunnelingConfig: CONNECT `hostname` (`host:port`), or POST `postPath` (default `/`)
 * with Host `hostname`.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto#extensions-filters-network-tcp-proxy-v3-tcpproxy-tunnelingconfig
 */
export interface TcpTunnelingConfig {
  hostname: string;
  usePost: boolean;
  postPath: string;
}

/** The single terminal network filter of a chain: an HTTP connection manager or a TCP proxy. */
export type NetworkFilterConfig = ({ kind: 'http'; hcm: HttpConnectionManagerConfig } | { kind: 'tcp'; tcp: TcpProxyConfig }) & {
  /** envoy.filters.network.rbac filters before the terminal filter, in order. */
  rbac?: readonly NetworkRbacConfig[];
};

export interface CidrRange {
  /** Normalised address (IPv4 dotted or IPv6). */
  address: string;
  prefixLen: number;
  family: 4 | 6;
}

/**
 * FilterChainMatch: every criterion the connection must meet; empty lists match anything.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener_components.proto#config-listener-v3-filterchainmatch
 */
export interface FilterChainMatchConfig {
  destinationPort?: number;
  prefixRanges: readonly CidrRange[];
  /** Lower-cased; `*.example.com` wildcards allowed. */
  serverNames: readonly string[];
  /** `tls` or `raw_buffer`; absent matches both. */
  transportProtocol?: string;
  applicationProtocols: readonly string[];
  sourceType: 'ANY' | 'SAME_IP_OR_LOOPBACK' | 'EXTERNAL';
  sourcePrefixRanges: readonly CidrRange[];
  sourcePorts: readonly number[];
}

export interface FilterChainConfig {
  /** The chain's name, or `filterChains[i]` / `defaultFilterChain` when unnamed. */
  name: string;
  match: FilterChainMatchConfig;
  /** DownstreamTlsContext of the chain's transport socket: TLS is terminated. Absent: raw_buffer. */
  tls?: DownstreamTlsConfig;
  filter: NetworkFilterConfig;
}

export interface SocketAddress {
  host: string;
  port: number;
}

export interface ListenerConfig {
  name: string;
  address: SocketAddress;
  bindToPort: boolean;
  /** envoy.filters.listener.tls_inspector: read the ClientHello (SNI, ALPN) before choosing a chain. */
  tlsInspector: boolean;
  /** listener_filters_timeout (Envoy default 15 s; 0 disables). */
  listenerFiltersTimeoutMs: number;
  /** On that timeout, go on with what was read instead of closing (Envoy default false). */
  continueOnListenerFiltersTimeout: boolean;
  filterChains: readonly FilterChainConfig[];
  defaultFilterChain?: FilterChainConfig;
}

/** Every chain of a listener, the default one last. */
export function allChains(l: ListenerConfig): FilterChainConfig[] {
  return l.defaultFilterChain ? [...l.filterChains, l.defaultFilterChain] : [...l.filterChains];
}

/** SDS names a listener's TLS chains fetch over ADS (the SDS subscription follows LDS). */
export function listenerAdsSecrets(l: ListenerConfig): string[] {
  return allChains(l).flatMap((c) => adsSecretNames(c.tls));
}

/** RDS names a listener's HTTP chains use. */
export function rdsNames(l: ListenerConfig): string[] {
  return allChains(l).flatMap((c) => (c.filter.kind === 'http' && c.filter.hcm.routes.kind === 'rds' ? [c.filter.hcm.routes.name] : []));
}
