import type { ConfigResource } from './core/types';
import type { AuthorizationPolicySpec } from './kinds/authorization-policy/types';
import type { DestinationRuleSpec } from './kinds/destination-rule/types';
import type { GatewaySpec } from './kinds/gateway/types';
import type { PeerAuthenticationSpec } from './kinds/peer-authentication/types';
import type { RequestAuthenticationSpec } from './kinds/request-authentication/types';
import type { ServiceEntrySpec } from './kinds/service-entry/types';
import type { SidecarSpec } from './kinds/sidecar/types';
import type { VirtualServiceSpec } from './kinds/virtual-service/types';
import type { WorkloadEntrySpec } from './kinds/workload-entry/types';

/** The typed resources `validateResource` produces. */
export type VirtualService = ConfigResource<'VirtualService', VirtualServiceSpec>;
export type DestinationRule = ConfigResource<'DestinationRule', DestinationRuleSpec>;
export type Gateway = ConfigResource<'Gateway', GatewaySpec>;
export type ServiceEntry = ConfigResource<'ServiceEntry', ServiceEntrySpec>;
export type WorkloadEntry = ConfigResource<'WorkloadEntry', WorkloadEntrySpec>;
export type Sidecar = ConfigResource<'Sidecar', SidecarSpec>;
export type PeerAuthentication = ConfigResource<'PeerAuthentication', PeerAuthenticationSpec>;
export type RequestAuthentication = ConfigResource<'RequestAuthentication', RequestAuthenticationSpec>;
export type AuthorizationPolicy = ConfigResource<'AuthorizationPolicy', AuthorizationPolicySpec>;

export type AnyConfig =
  | VirtualService
  | DestinationRule
  | Gateway
  | ServiceEntry
  | WorkloadEntry
  | Sidecar
  | PeerAuthentication
  | RequestAuthentication
  | AuthorizationPolicy;
