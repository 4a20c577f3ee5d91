import { z } from 'zod';
import { connectionPoolSchema } from '../../common/messages/connection-pool';
import { portSelectorSchema } from '../../common/messages/destination';
import { double, duration, int32, stringList, stringMap, uint32 } from '../../common/messages/primitives';
import { labelSelectorSchema } from '../../common/messages/workload-selector';
import type { ShapeOf } from '../../core/schema-shape';
import type {
  ClientTLSSettings,
  ConsistentHashLB,
  CookieAttribute,
  DestinationRuleSpec,
  HTTPCookie,
  LoadBalancerSettings,
  LocalityDistribute,
  LocalityFailover,
  LocalityLoadBalancerSetting,
  MagLev,
  OutlierDetection,
  PortTrafficPolicy,
  ProxyProtocol,
  RetryBudget,
  RingHash,
  Subset,
  TrafficPolicy,
  TunnelSettings,
  WarmupConfiguration,
} from './types';

const cookieAttributeSchema: z.ZodType<CookieAttribute> = z.strictObject({ name: z.string(), value: z.string().optional() } satisfies ShapeOf<CookieAttribute>);

const httpCookieSchema: z.ZodType<HTTPCookie> = z.strictObject({
  name: z.string(),
  path: z.string().optional(),
  ttl: duration.optional(),
  attributes: z.array(cookieAttributeSchema).optional(),
} satisfies ShapeOf<HTTPCookie>);

const ringHashSchema: z.ZodType<RingHash> = z.strictObject({ minimumRingSize: uint32.optional() } satisfies ShapeOf<RingHash>);
const maglevSchema: z.ZodType<MagLev> = z.strictObject({ tableSize: uint32.optional() } satisfies ShapeOf<MagLev>);

const consistentHashSchema: z.ZodType<ConsistentHashLB> = z.strictObject({
  httpHeaderName: z.string().optional(),
  httpCookie: httpCookieSchema.optional(),
  useSourceIp: z.boolean().optional(),
  httpQueryParameterName: z.string().optional(),
  ringHash: ringHashSchema.optional(),
  maglev: maglevSchema.optional(),
  minimumRingSize: uint32.optional(),
} satisfies ShapeOf<ConsistentHashLB>);

const distributeSchema: z.ZodType<LocalityDistribute> = z.strictObject({
  from: z.string().optional(),
  to: z.record(z.string(), uint32).optional(),
} satisfies ShapeOf<LocalityDistribute>);

const failoverSchema: z.ZodType<LocalityFailover> = z.strictObject({ from: z.string().optional(), to: z.string().optional() } satisfies ShapeOf<LocalityFailover>);

const localityLbSchema: z.ZodType<LocalityLoadBalancerSetting> = z.strictObject({
  distribute: z.array(distributeSchema).optional(),
  failover: z.array(failoverSchema).optional(),
  failoverPriority: stringList.optional(),
  enabled: z.boolean().optional(),
} satisfies ShapeOf<LocalityLoadBalancerSetting>);

const warmupSchema: z.ZodType<WarmupConfiguration> = z.strictObject({
  duration,
  minimumPercent: double.optional(),
  aggression: double.optional(),
} satisfies ShapeOf<WarmupConfiguration>);

const loadBalancerSchema: z.ZodType<LoadBalancerSettings> = z.strictObject({
  simple: z.enum(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST']).optional(),
  consistentHash: consistentHashSchema.optional(),
  localityLbSetting: localityLbSchema.optional(),
  warmupDurationSecs: duration.optional(),
  warmup: warmupSchema.optional(),
} satisfies ShapeOf<LoadBalancerSettings>);

const outlierSchema: z.ZodType<OutlierDetection> = z.strictObject({
  splitExternalLocalOriginErrors: z.boolean().optional(),
  consecutiveLocalOriginFailures: uint32.optional(),
  consecutiveGatewayErrors: uint32.optional(),
  consecutive5xxErrors: uint32.optional(),
  interval: duration.optional(),
  baseEjectionTime: duration.optional(),
  maxEjectionPercent: int32.optional(),
  minHealthPercent: int32.optional(),
  consecutiveErrors: int32.optional(),
} satisfies ShapeOf<OutlierDetection>);

const clientTLSSchema: z.ZodType<ClientTLSSettings> = z.strictObject({
  mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).optional(),
  clientCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  subjectAltNames: stringList.optional(),
  sni: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
  caCrl: z.string().optional(),
} satisfies ShapeOf<ClientTLSSettings>);

const tunnelSchema: z.ZodType<TunnelSettings> = z.strictObject({
  protocol: z.string().optional(),
  targetHost: z.string(),
  targetPort: uint32,
} satisfies ShapeOf<TunnelSettings>);

const proxyProtocolSchema: z.ZodType<ProxyProtocol> = z.strictObject({ version: z.enum(['V1', 'V2']).optional() } satisfies ShapeOf<ProxyProtocol>);

const retryBudgetSchema: z.ZodType<RetryBudget> = z.strictObject({
  percent: double.min(0).max(100).optional(),
  minRetryConcurrency: uint32.optional(),
} satisfies ShapeOf<RetryBudget>);

const portTrafficPolicySchema: z.ZodType<PortTrafficPolicy> = z.strictObject({
  port: portSelectorSchema.optional(),
  loadBalancer: loadBalancerSchema.optional(),
  connectionPool: connectionPoolSchema.optional(),
  outlierDetection: outlierSchema.optional(),
  tls: clientTLSSchema.optional(),
} satisfies ShapeOf<PortTrafficPolicy>);

const trafficPolicySchema: z.ZodType<TrafficPolicy> = z.strictObject({
  loadBalancer: loadBalancerSchema.optional(),
  connectionPool: connectionPoolSchema.optional(),
  outlierDetection: outlierSchema.optional(),
  tls: clientTLSSchema.optional(),
  portLevelSettings: z.array(portTrafficPolicySchema).max(4096).optional(),
  tunnel: tunnelSchema.optional(),
  proxyProtocol: proxyProtocolSchema.optional(),
  retryBudget: retryBudgetSchema.optional(),
} satisfies ShapeOf<TrafficPolicy>);

const subsetSchema: z.ZodType<Subset> = z.strictObject({
  name: z.string(),
  labels: stringMap.optional(),
  trafficPolicy: trafficPolicySchema.optional(),
} satisfies ShapeOf<Subset>);

export const destinationRuleSpecSchema: z.ZodType<DestinationRuleSpec> = z.strictObject({
  host: z.string(),
  trafficPolicy: trafficPolicySchema.optional(),
  subsets: z.array(subsetSchema).optional(),
  exportTo: stringList.optional(),
  workloadSelector: labelSelectorSchema.optional(),
} satisfies ShapeOf<DestinationRuleSpec>);
