import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { ClusterConfig, HashLbConfig, LbPolicy, SlowStartSettings, TransportSocketMatchConfig } from '../model';
import { PLAINTEXT, emptyAssignment } from '../model';
import { loadAssignment } from './endpoints';
import { type Issues, at } from './issues';
import { circuitBreakers, outlierDetection } from './outlier-detection';
import { durationMs } from './primitives';
import { transportSocket } from './transport-socket';
import { upstreamProtocol } from './upstream-protocol';

const LB_POLICIES: ReadonlySet<string> = new Set<LbPolicy>(['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV']);

/** Envoy's ring hash bounds and Maglev table size defaults. */
const RING_MIN = 1024;
const RING_MAX = 8 * 1024 * 1024;
const MAGLEV_TABLE = 65537;

/** envoy.extensions.upstreams.http.v3.HttpProtocolOptions, the fields we read. */
interface HttpProtocolOptionsBody {
  commonHttpProtocolOptions?: xds.HttpProtocolOptions;
  explicitHttpConfig?: { httpProtocolOptions?: object; http2ProtocolOptions?: object };
  useDownstreamProtocolConfig?: object;
}

function lbPolicy(c: xds.Cluster, issues: Issues): LbPolicy {
  const p = c.lbPolicy ?? 'ROUND_ROBIN';
  if (c.type === 'ORIGINAL_DST') {
    if (p !== 'CLUSTER_PROVIDED') issues.error('lbPolicy', 'an ORIGINAL_DST cluster requires CLUSTER_PROVIDED');
    return 'ROUND_ROBIN';
  }
  if (!LB_POLICIES.has(p)) {
    issues.error('lbPolicy', `unsupported load balancing policy ${p} (ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV)`);
    return 'ROUND_ROBIN';
  }
  return p as LbPolicy;
}

function maxRequestsPerConnection(c: xds.Cluster, issues: Issues): number {
  const opts = c.typedExtensionProtocolOptions?.['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'] as (xds.Any & HttpProtocolOptionsBody) | undefined;
  if (opts && opts['@type'] !== TypeUrl.HttpProtocolOptions) issues.error('typedExtensionProtocolOptions', `unexpected type ${opts['@type']}`);
  return opts?.commonHttpProtocolOptions?.maxRequestsPerConnection?.value ?? c.maxRequestsPerConnection?.value ?? 0;
}

/**
 * Connection pool timers: common_http_protocol_options.idle_timeout and
 * common_http_protocol_options.max_connection_duration (a connection that old takes no new
 * requests and closes once its in-flight ones are done, as Envoy drains it) and
 * upstream_connection_options.tcp_keepalive (node sets only the idle time before probes).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/protocol.proto#config-core-v3-httpprotocoloptions
 */
function poolTimers(c: xds.Cluster, issues: Issues): Pick<ClusterConfig, 'idleTimeoutMs' | 'maxConnectionDurationMs' | 'tcpKeepaliveMs'> {
  const key = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
  const common = (c.typedExtensionProtocolOptions?.[key] as (xds.Any & HttpProtocolOptionsBody) | undefined)?.commonHttpProtocolOptions;
  const path = `typedExtensionProtocolOptions['${key}'].commonHttpProtocolOptions`;
  const ka = c.upstreamConnectionOptions?.tcpKeepalive;
  if (ka?.keepaliveProbes || ka?.keepaliveInterval) issues.warn('upstreamConnectionOptions.tcpKeepalive', 'only keepaliveTime is applied (node sets no probe count or interval)');
  const idle = common?.idleTimeout ? durationMs(common.idleTimeout, at(path, 'idleTimeout'), issues, 0) : undefined;
  const maxAge = common?.maxConnectionDuration ? durationMs(common.maxConnectionDuration, at(path, 'maxConnectionDuration'), issues, 0) : undefined;
  return { idleTimeoutMs: idle || undefined, maxConnectionDurationMs: maxAge || undefined, tcpKeepaliveMs: ka?.keepaliveTime ? ka.keepaliveTime.value * 1000 : undefined };
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

/**
 * ring_hash_lb_config (minimum / maximum ring size, xxHash only) and maglev_lb_config (table size,
 * a prime up to 5000011, as Envoy requires).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto#config-cluster-v3-cluster-ringhashlbconfig
 */
function hashLb(c: xds.Cluster, issues: Issues): HashLbConfig {
  const r = c.ringHashLbConfig;
  if (r && c.lbPolicy !== 'RING_HASH') issues.error('ringHashLbConfig', 'requires lbPolicy RING_HASH');
  if (r?.hashFunction === 'MURMUR_HASH_2') issues.error('ringHashLbConfig.hashFunction', 'only XX_HASH is supported');
  const minimumRingSize = r?.minimumRingSize?.value ?? RING_MIN;
  const maximumRingSize = r?.maximumRingSize?.value ?? RING_MAX;
  if (minimumRingSize < 1 || minimumRingSize > RING_MAX) issues.error('ringHashLbConfig.minimumRingSize', `must be in [1, ${RING_MAX}]`);
  if (maximumRingSize < minimumRingSize) issues.error('ringHashLbConfig.maximumRingSize', 'must not be less than minimumRingSize');
  const tableSize = c.maglevLbConfig?.tableSize?.value ?? MAGLEV_TABLE;
  if (!isPrime(tableSize) || tableSize > 5_000_011) issues.error('maglevLbConfig.tableSize', `${tableSize} must be a prime no larger than 5000011`);
  return { minimumRingSize, maximumRingSize: Math.min(maximumRingSize, RING_MAX), tableSize };
}

/**
 * The cluster's transport_socket (plaintext when absent) and its transport_socket_matches, each
 * matched against an endpoint's `envoy.transport_socket_match` metadata (Istio's auto mTLS: a
 * `tlsMode: istio` match with mTLS, then an empty match with plaintext).
 */
function transports(c: xds.Cluster, issues: Issues): Pick<ClusterConfig, 'transport' | 'transportSocketMatches'> {
  const transport = c.transportSocket ? transportSocket(c.transportSocket, 'transportSocket', issues) : PLAINTEXT;
  const transportSocketMatches = (c.transportSocketMatches ?? []).map((m, i): TransportSocketMatchConfig => {
    const path = at('transportSocketMatches', i);
    if (!m.name) issues.error(at(path, 'name'), 'is required');
    return { name: m.name, match: m.match ?? {}, transport: m.transportSocket ? transportSocket(m.transportSocket, at(path, 'transportSocket'), issues) : PLAINTEXT };
  });
  return { transport, transportSocketMatches };
}

function discovery(c: xds.Cluster, issues: Issues): Pick<ClusterConfig, 'type' | 'edsServiceName' | 'loadAssignment'> {
  const type = c.type ?? 'STATIC';
  if (c.clusterType) issues.error('clusterType', `custom cluster type "${c.clusterType.name}" is not supported`);
  if (type === 'EDS') {
    const src = c.edsClusterConfig?.edsConfig;
    if (src && !src.ads && !src.self) issues.error('edsClusterConfig.edsConfig', 'only ADS config sources are supported');
    return { type, edsServiceName: c.edsClusterConfig?.serviceName || c.name };
  }
  const dns = type === 'STRICT_DNS' || type === 'LOGICAL_DNS';
  const cla = c.loadAssignment ? loadAssignment({ ...c.loadAssignment, clusterName: c.loadAssignment.clusterName || c.name }, 'loadAssignment', issues, dns) : undefined;
  if (dns && !cla?.endpoints.length) issues.error('loadAssignment', `a ${type} cluster needs at least one endpoint`);
  return { type, loadAssignment: cla ?? (type === 'ORIGINAL_DST' ? undefined : emptyAssignment(c.name)) };
}

/** round_robin_lb_config / least_request_lb_config slow start (the LB config of another policy is an error). */
function slowStart(c: xds.Cluster, issues: Issues): { slowStart?: SlowStartSettings } {
  if (c.roundRobinLbConfig && (c.lbPolicy ?? 'ROUND_ROBIN') !== 'ROUND_ROBIN') issues.error('roundRobinLbConfig', 'requires lbPolicy ROUND_ROBIN');
  if (c.leastRequestLbConfig && c.lbPolicy !== 'LEAST_REQUEST') issues.error('leastRequestLbConfig', 'requires lbPolicy LEAST_REQUEST');
  const [cfg, path] = c.leastRequestLbConfig?.slowStartConfig ? [c.leastRequestLbConfig.slowStartConfig, 'leastRequestLbConfig.slowStartConfig'] : [c.roundRobinLbConfig?.slowStartConfig, 'roundRobinLbConfig.slowStartConfig'];
  if (!cfg) return {};
  const windowMs = durationMs(cfg.slowStartWindow, at(path, 'slowStartWindow'), issues, 0);
  const aggression = cfg.aggression?.defaultValue ?? 1;
  if (!(aggression > 0)) issues.error(at(path, 'aggression'), 'must be greater than zero');
  const minWeightPercent = cfg.minWeightPercent?.value ?? 10;
  if (minWeightPercent < 0 || minWeightPercent > 100) issues.error(at(path, 'minWeightPercent'), 'must be a percentage in [0, 100]');
  return windowMs > 0 ? { slowStart: { windowMs, aggression, minWeightPercent } } : {};
}

/** common_lb_config: panic threshold and locality-weighted LB; zone-aware routing is not implemented. */
function commonLb(c: xds.Cluster, issues: Issues): Pick<ClusterConfig, 'panicThreshold' | 'localityWeighted'> {
  const common = c.commonLbConfig;
  const panic = common?.healthyPanicThreshold?.value;
  if (panic !== undefined && (panic < 0 || panic > 100)) issues.error('commonLbConfig.healthyPanicThreshold', 'must be a percentage in [0, 100]');
  if (common?.zoneAwareLbConfig) issues.warn(at('commonLbConfig', 'zoneAwareLbConfig'), 'zone-aware routing is not implemented; ignored');
  return { panicThreshold: (panic ?? 50) / 100, localityWeighted: common?.localityWeightedLbConfig !== undefined };
}

/**
 * Cluster (CDS): discovery type, LB policy (round robin, least request, random, ring hash,
 * Maglev), connect timeout (Envoy default 5 s), circuit breakers, outlier detection, panic
 * threshold, locality-weighted LB, transport socket.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
 */
export function cluster(c: xds.Cluster, issues: Issues): ClusterConfig {
  if (!c.name) issues.error('name', 'cluster name is required');
  if (c.originalDstLbConfig?.useHttpHeader) issues.error('originalDstLbConfig.useHttpHeader', 'not supported');
  const connectTimeoutMs = durationMs(c.connectTimeout, 'connectTimeout', issues, 5000);
  if (c.connectTimeout && connectTimeoutMs <= 0) issues.error('connectTimeout', 'must be greater than zero');
  return {
    name: c.name,
    ...discovery(c, issues),
    lbPolicy: lbPolicy(c, issues),
    connectTimeoutMs,
    ...transports(c, issues),
    ...upstreamProtocol(c, issues),
    choiceCount: 2,
    circuitBreakers: circuitBreakers(c.circuitBreakers, 'circuitBreakers', issues),
    maxRequestsPerConnection: maxRequestsPerConnection(c, issues),
    ...poolTimers(c, issues),
    ...commonLb(c, issues),
    hashLb: hashLb(c, issues),
    ...slowStart(c, issues),
    outlierDetection: c.outlierDetection ? outlierDetection(c.outlierDetection, 'outlierDetection', issues) : undefined,
    cleanupIntervalMs: durationMs(c.cleanupInterval, 'cleanupInterval', issues, 5000),
  };
}
