/**
 * envoy.service.discovery.v3 messages as a client or server handles them once decoded.
 * (The codec's own DiscoveryRequest / DiscoveryResponseIn are structurally compatible.)
 * https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol
 */
import type { ControlPlane, Node } from './core';
import type { Any, Duration, Status } from './wkt';

/** @proto envoy.service.discovery.v3.DiscoveryRequest */
export interface DiscoveryRequest {
  /** Version of the last ACKed response of this type ('' before the first ACK). */
  versionInfo: string;
  /** Sent on the first request of a stream (later ones may omit it). */
  node?: Node;
  resourceNames: string[];
  typeUrl: string;
  /** Nonce of the response this request ACKs or NACKs ('' on the first request). */
  responseNonce: string;
  /** Present on a NACK. */
  errorDetail?: Status;
}

/** @proto envoy.service.discovery.v3.DiscoveryResponse */
export interface DiscoveryResponse {
  versionInfo: string;
  resources: Any[];
  canary?: boolean;
  typeUrl: string;
  nonce: string;
  controlPlane?: ControlPlane;
}

/** @proto envoy.service.discovery.v3.DeltaDiscoveryRequest */
export interface DeltaDiscoveryRequest {
  node?: Node;
  typeUrl: string;
  resourceNamesSubscribe: string[];
  resourceNamesUnsubscribe: string[];
  initialResourceVersions: Record<string, string>;
  responseNonce: string;
  errorDetail?: Status;
}

/** @proto envoy.service.discovery.v3.Resource */
export interface Resource {
  name: string;
  aliases?: string[];
  version: string;
  resource?: Any;
  ttl?: Duration;
}

/** @proto envoy.service.discovery.v3.DeltaDiscoveryResponse */
export interface DeltaDiscoveryResponse {
  systemVersionInfo: string;
  resources: Resource[];
  typeUrl: string;
  removedResources: string[];
  nonce: string;
  controlPlane?: ControlPlane;
}
