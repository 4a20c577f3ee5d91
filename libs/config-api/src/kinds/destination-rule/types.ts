import type { ConnectionPoolSettings } from '../../common/messages/connection-pool';
import type { PortSelector } from '../../common/messages/destination';
import type { LabelSelector } from '../../common/messages/workload-selector';

/**
 * DestinationRule messages in their YAML (protobuf JSON) form.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Subset[];
  exportTo?: string[];
  workloadSelector?: LabelSelector;
}

export interface TrafficPolicy {
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetection;
  tls?: ClientTLSSettings;
  portLevelSettings?: PortTrafficPolicy[];
  tunnel?: TunnelSettings;
  proxyProtocol?: ProxyProtocol;
  retryBudget?: RetryBudget;
}

export interface PortTrafficPolicy {
  port?: PortSelector;
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetection;
  tls?: ClientTLSSettings;
}

export interface Subset {
  name: string;
  labels?: Record<string, string>;
  trafficPolicy?: TrafficPolicy;
}

export type SimpleLB = 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST';

/** Oneof: `simple` or `consistentHash`. */
export interface LoadBalancerSettings {
  simple?: SimpleLB;
  consistentHash?: ConsistentHashLB;
  localityLbSetting?: LocalityLoadBalancerSetting;
  /** @deprecated Use `warmup`. */
  warmupDurationSecs?: string;
  warmup?: WarmupConfiguration;
}

export interface HTTPCookie {
  name: string;
  path?: string;
  ttl?: string;
  attributes?: CookieAttribute[];
}

export interface CookieAttribute {
  name: string;
  value?: string;
}

/** Oneof hash key (`httpHeaderName`, `httpCookie`, `useSourceIp`, `httpQueryParameterName`); oneof algorithm (`ringHash`, `maglev`). */
export interface ConsistentHashLB {
  httpHeaderName?: string;
  httpCookie?: HTTPCookie;
  useSourceIp?: boolean;
  httpQueryParameterName?: string;
  ringHash?: RingHash;
  maglev?: MagLev;
  /** @deprecated Use `ringHash.minimumRingSize`. */
  minimumRingSize?: number;
}

export interface RingHash {
  minimumRingSize?: number;
}

export interface MagLev {
  tableSize?: number;
}

export interface LocalityDistribute {
  from?: string;
  /** Locality -> weight (1-100); the weights of one entry sum to 100. */
  to?: Record<string, number>;
}

export interface LocalityFailover {
  from?: string;
  to?: string;
}

export interface LocalityLoadBalancerSetting {
  distribute?: LocalityDistribute[];
  failover?: LocalityFailover[];
  failoverPriority?: string[];
  enabled?: boolean;
}

export interface WarmupConfiguration {
  duration: string;
  minimumPercent?: number;
  aggression?: number;
}

export interface OutlierDetection {
  splitExternalLocalOriginErrors?: boolean;
  consecutiveLocalOriginFailures?: number;
  consecutiveGatewayErrors?: number;
  consecutive5xxErrors?: number;
  interval?: string;
  baseEjectionTime?: string;
  maxEjectionPercent?: number;
  minHealthPercent?: number;
  /** @deprecated Use `consecutive5xxErrors` or `consecutiveGatewayErrors`. */
  consecutiveErrors?: number;
}

export type ClientTLSMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

export interface ClientTLSSettings {
  mode?: ClientTLSMode;
  clientCertificate?: string;
  privateKey?: string;
  caCertificates?: string;
  credentialName?: string;
  subjectAltNames?: string[];
  sni?: string;
  insecureSkipVerify?: boolean;
  caCrl?: string;
}

export interface TunnelSettings {
  /** `CONNECT` (default) or `POST`. */
  protocol?: string;
  targetHost: string;
  targetPort: number;
}

export interface ProxyProtocol {
  version?: 'V1' | 'V2';
}

export interface RetryBudget {
  percent?: number;
  minRetryConcurrency?: number;
}
