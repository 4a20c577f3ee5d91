/**
 * `@mizzen/config-api`: Istio-compatible types and validation for `networking.istio.io`
 * resources (VirtualService, DestinationRule, Gateway, ServiceEntry, WorkloadEntry, Sidecar) in
 * versions v1, v1beta1 and v1alpha3, and `security.istio.io` resources (PeerAuthentication,
 * RequestAuthentication, AuthorizationPolicy) in v1 and v1beta1. Pure: no I/O, no environment.
 */
export { API_GROUP, API_VERSIONS, SECURITY_API_GROUP, SECURITY_API_VERSIONS } from './core/types';
export type { ApiVersion, ConfigKind, ConfigMeta, ConfigResource } from './core/types';
export type { UnsupportedField } from './core/kind-module';
export { SUPPORTED_KINDS } from './kinds/registry';
export type { SpecByKind } from './kinds/registry';
export type {
  AnyConfig,
  AuthorizationPolicy,
  DestinationRule,
  Gateway,
  PeerAuthentication,
  RequestAuthentication,
  ServiceEntry,
  Sidecar,
  VirtualService,
  WorkloadEntry,
} from './resources';
export { parseDocuments } from './parse-documents';
export { validateResource } from './validate-resource';
export type { ValidateOptions, ValidateResult } from './validate-resource';
export { parseDuration } from './common/duration';
export { isIPAddress } from './common/checks/ip';
export { isValidCipherSuite } from './common/validate/server-tls';
export { unsupportedFieldWarnings } from './unsupported-fields';
export type { UnsupportedFieldTable } from './unsupported-fields';

export type { ConnectionPoolSettings, H2UpgradePolicy, HTTPSettings, TCPKeepalive, TCPSettings } from './common/messages/connection-pool';
export type { Destination, Percent, PortSelector } from './common/messages/destination';
export type { ServerTLSMode, ServerTLSSettings, TLSCertificate, TLSProtocolVersion } from './common/messages/server-tls';
export type { StringMatch } from './common/messages/string-match';
export type { LabelSelector, WorkloadSelector } from './common/messages/workload-selector';
export type { PolicyTargetReference } from './common/messages/policy-target';
export type * from './kinds/virtual-service/types';
export type * from './kinds/destination-rule/types';
export type * from './kinds/gateway/types';
export type * from './kinds/service-entry/types';
export type * from './kinds/workload-entry/types';
export type * from './kinds/sidecar/types';
export type * from './kinds/peer-authentication/types';
export type * from './kinds/request-authentication/types';
export type * from './kinds/authorization-policy/types';
