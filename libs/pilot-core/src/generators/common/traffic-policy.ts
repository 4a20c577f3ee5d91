import { type DestinationRule, parseDuration, type TrafficPolicy } from '@mizzen/config-api';
import type { Cluster, SlowStartConfig } from '@mizzen/xds-types';
import { toDuration } from './durations';
import { httpProtocolOptions } from './http-protocol-options';

/**
 * The effective traffic policy for one port of one subset, in Istio's merge order
 * (`MergeTrafficPolicy`): the top-level policy with its `portLevelSettings` for the port applied,
 * then every field the subset's policy sets, then the subset's own `portLevelSettings` for the
 * port. A port-level entry replaces whole fields (it does not inherit inside them).
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export function effectivePolicy(dr: DestinationRule | undefined, subset: string, port: number): TrafficPolicy | undefined {
  if (!dr) return undefined;
  const top = dr.spec.trafficPolicy ? withPortLevel(dr.spec.trafficPolicy, port) : undefined;
  const sub = subset ? dr.spec.subsets?.find((s) => s.name === subset)?.trafficPolicy : undefined;
  if (!sub) return top;
  const { portLevelSettings, ...subFields } = sub;
  const merged: TrafficPolicy = { ...(top ?? {}), ...definedOnly(subFields) };
  return withPortLevel({ ...merged, portLevelSettings }, port);
}

/** `policy` with its port-level settings for `port` applied; the result has no portLevelSettings. */
function withPortLevel(policy: TrafficPolicy, port: number): TrafficPolicy {
  const { portLevelSettings, ...rest } = policy;
  const entry = portLevelSettings?.find((p) => p.port?.number === port);
  if (!entry) return rest;
  const { port: _p, ...fields } = entry;
  return { ...rest, ...definedOnly(fields) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const MAX_U32 = 4294967295;

/**
 * `warmup` (or the deprecated `warmupDurationSecs`) as Envoy slow start, for ROUND_ROBIN and
 * LEAST_REQUEST only, as Istio (`setSlowStartConfig`): the window, the aggression when given, the
 * minimum weight percent when given (Envoy's default 10%).
 */
function slowStartConfig(lb: NonNullable<TrafficPolicy['loadBalancer']> | undefined): SlowStartConfig | undefined {
  const window = toDuration(lb?.warmup?.duration ?? lb?.warmupDurationSecs);
  if (!window) return undefined;
  const w = lb?.warmup;
  return {
    slowStartWindow: window,
    ...(w?.aggression !== undefined ? { aggression: { defaultValue: w.aggression, runtimeKey: 'upstream.slow_start.aggression' } } : {}),
    ...(w?.minimumPercent !== undefined ? { minWeightPercent: { value: w.minimumPercent } } : {}),
  };
}

/** Cluster fields (LB, circuit breakers, outlier detection, timeouts) from a traffic policy. */
export function applyTrafficPolicy(cluster: Cluster, policy: TrafficPolicy | undefined, defaultConnectTimeoutMs: number): Cluster {
  const out: Cluster = { ...cluster };
  out.connectTimeout = toDuration(policy?.connectionPool?.tcp?.connectTimeout) ?? { seconds: Math.floor(defaultConnectTimeoutMs / 1000), nanos: (defaultConnectTimeoutMs % 1000) * 1e6 };
  const lb = policy?.loadBalancer;
  if (lb?.consistentHash) {
    if (lb.consistentHash.maglev) {
      out.lbPolicy = 'MAGLEV';
      if (lb.consistentHash.maglev.tableSize) out.maglevLbConfig = { tableSize: { value: lb.consistentHash.maglev.tableSize } };
    } else {
      out.lbPolicy = 'RING_HASH';
      const size = lb.consistentHash.ringHash?.minimumRingSize ?? lb.consistentHash.minimumRingSize;
      if (size) out.ringHashLbConfig = { minimumRingSize: { value: size } };
    }
  } else if (lb?.simple === 'LEAST_REQUEST' || lb?.simple === 'LEAST_CONN') out.lbPolicy = 'LEAST_REQUEST';
  else if (lb?.simple === 'RANDOM') out.lbPolicy = 'RANDOM';
  else if (lb?.simple === 'PASSTHROUGH') {
    out.type = 'ORIGINAL_DST';
    out.lbPolicy = 'CLUSTER_PROVIDED';
    delete out.edsClusterConfig;
  } else out.lbPolicy = 'ROUND_ROBIN';
  const slowStart = slowStartConfig(lb);
  if (slowStart && out.lbPolicy === 'ROUND_ROBIN') out.roundRobinLbConfig = { slowStartConfig: slowStart };
  if (slowStart && out.lbPolicy === 'LEAST_REQUEST') out.leastRequestLbConfig = { slowStartConfig: slowStart };
  const cp = policy?.connectionPool;
  // Istio raises Envoy's 1024 defaults to "unlimited" unless the user sets a limit.
  out.circuitBreakers = {
    thresholds: [
      {
        maxConnections: { value: cp?.tcp?.maxConnections ?? MAX_U32 },
        maxPendingRequests: { value: cp?.http?.http1MaxPendingRequests ?? MAX_U32 },
        maxRequests: { value: cp?.http?.http2MaxRequests ?? MAX_U32 },
        maxRetries: { value: cp?.http?.maxRetries ?? MAX_U32 },
        trackRemaining: true,
      },
    ],
  };
  if (cp?.http?.maxRequestsPerConnection) out.maxRequestsPerConnection = { value: cp.http.maxRequestsPerConnection };
  Object.assign(out, httpProtocolOptions(out, cp));
  if (cp?.tcp?.tcpKeepalive) {
    const k = cp.tcp.tcpKeepalive;
    out.upstreamConnectionOptions = {
      tcpKeepalive: {
        ...(k.probes !== undefined ? { keepaliveProbes: { value: k.probes } } : {}),
        ...(k.time ? { keepaliveTime: { value: Math.round((parseDuration(k.time) ?? 0) / 1000) } } : {}),
        ...(k.interval ? { keepaliveInterval: { value: Math.round((parseDuration(k.interval) ?? 0) / 1000) } } : {}),
      },
    };
  }
  const od = policy?.outlierDetection;
  if (od) {
    const consecutive5xx = od.consecutive5xxErrors ?? od.consecutiveErrors;
    out.outlierDetection = {
      ...(consecutive5xx !== undefined ? { consecutive_5xx: { value: consecutive5xx }, enforcingConsecutive_5xx: { value: consecutive5xx > 0 ? 100 : 0 } } : { enforcingConsecutive_5xx: { value: 0 } }),
      ...(od.consecutiveGatewayErrors !== undefined ? { consecutiveGatewayFailure: { value: od.consecutiveGatewayErrors }, enforcingConsecutiveGatewayFailure: { value: 100 } } : {}),
      ...(od.consecutiveLocalOriginFailures !== undefined ? { consecutiveLocalOriginFailure: { value: od.consecutiveLocalOriginFailures }, splitExternalLocalOriginErrors: true } : {}),
      ...(od.interval ? { interval: toDuration(od.interval) } : {}),
      ...(od.baseEjectionTime ? { baseEjectionTime: toDuration(od.baseEjectionTime) } : {}),
      maxEjectionPercent: { value: od.maxEjectionPercent ?? 10 },
    };
    if (od.minHealthPercent !== undefined) out.commonLbConfig = { ...out.commonLbConfig, healthyPanicThreshold: { value: od.minHealthPercent } };
  }
  // `distribute` sets locality weights in EDS; Envoy honours them only with locality-weighted LB.
  if (lb?.localityLbSetting?.distribute?.length && lb.localityLbSetting.enabled !== false) {
    out.commonLbConfig = { ...out.commonLbConfig, localityWeightedLbConfig: {} };
  }
  return out;
}
