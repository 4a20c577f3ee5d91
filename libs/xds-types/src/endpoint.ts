/** envoy.config.endpoint.v3 (EDS). */
import type { Address, FractionalPercent, HealthStatus, Locality, Metadata } from './core';
import type { Duration, UInt32Value } from './wkt';

/** @proto envoy.config.endpoint.v3.Endpoint.HealthCheckConfig */
export interface HealthCheckConfig {
  portValue?: number;
  hostname?: string;
  address?: Address;
  disableActiveHealthCheck?: boolean;
}

/** @proto envoy.config.endpoint.v3.Endpoint */
export interface Endpoint {
  /** grpc-js-xds needs IP literals. */
  address: Address;
  healthCheckConfig?: HealthCheckConfig;
  hostname?: string;
}

/** @proto envoy.config.endpoint.v3.LbEndpoint */
export interface LbEndpoint {
  endpoint: Endpoint;
  healthStatus?: HealthStatus;
  metadata?: Metadata;
  loadBalancingWeight?: UInt32Value;
}

/** @proto envoy.config.endpoint.v3.LocalityLbEndpoints */
export interface LocalityLbEndpoints {
  locality?: Locality;
  metadata?: Metadata;
  lbEndpoints: LbEndpoint[];
  /** Required by grpc-js-xds (a locality without a weight is ignored). */
  loadBalancingWeight?: UInt32Value;
  priority?: number;
}

/** @proto envoy.config.endpoint.v3.ClusterLoadAssignment.Policy.DropOverload */
export interface DropOverload {
  category: string;
  dropPercentage: FractionalPercent;
}

/** @proto envoy.config.endpoint.v3.ClusterLoadAssignment.Policy */
export interface ClusterLoadAssignmentPolicy {
  dropOverloads?: DropOverload[];
  overprovisioningFactor?: UInt32Value;
  endpointStaleAfter?: Duration;
  weightedPriorityHealth?: boolean;
}

/** @proto envoy.config.endpoint.v3.ClusterLoadAssignment */
export interface ClusterLoadAssignment {
  /** The EDS resource name: the cluster's edsClusterConfig.serviceName, else the cluster name. */
  clusterName: string;
  endpoints?: LocalityLbEndpoints[];
  policy?: ClusterLoadAssignmentPolicy;
}
