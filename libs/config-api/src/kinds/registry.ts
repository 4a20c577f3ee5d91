import type { KindModule } from '../core/kind-module';
import type { ConfigKind } from '../core/types';
import { authorizationPolicyModule, type AuthorizationPolicySpec } from './authorization-policy';
import { destinationRuleModule, type DestinationRuleSpec } from './destination-rule';
import { gatewayModule, type GatewaySpec } from './gateway';
import { peerAuthenticationModule, type PeerAuthenticationSpec } from './peer-authentication';
import { requestAuthenticationModule, type RequestAuthenticationSpec } from './request-authentication';
import { serviceEntryModule, type ServiceEntrySpec } from './service-entry';
import { sidecarModule, type SidecarSpec } from './sidecar';
import { virtualServiceModule, type VirtualServiceSpec } from './virtual-service';
import { workloadEntryModule, type WorkloadEntrySpec } from './workload-entry';

/** The spec type of each kind. */
export interface SpecByKind {
  VirtualService: VirtualServiceSpec;
  DestinationRule: DestinationRuleSpec;
  Gateway: GatewaySpec;
  ServiceEntry: ServiceEntrySpec;
  WorkloadEntry: WorkloadEntrySpec;
  Sidecar: SidecarSpec;
  PeerAuthentication: PeerAuthenticationSpec;
  RequestAuthentication: RequestAuthenticationSpec;
  AuthorizationPolicy: AuthorizationPolicySpec;
}

export type AnyKindModule = { [K in ConfigKind]: KindModule<K, SpecByKind[K]> }[ConfigKind];

/** Every supported kind's module, keyed by kind. Adding a kind means adding a module here and nowhere else. */
const REGISTRY: { readonly [K in ConfigKind]: KindModule<K, SpecByKind[K]> } = {
  VirtualService: virtualServiceModule,
  DestinationRule: destinationRuleModule,
  Gateway: gatewayModule,
  ServiceEntry: serviceEntryModule,
  WorkloadEntry: workloadEntryModule,
  Sidecar: sidecarModule,
  PeerAuthentication: peerAuthenticationModule,
  RequestAuthentication: requestAuthenticationModule,
  AuthorizationPolicy: authorizationPolicyModule,
};

export const SUPPORTED_KINDS: readonly ConfigKind[] = Object.freeze(Object.keys(REGISTRY) as ConfigKind[]);

export function isSupportedKind(kind: unknown): kind is ConfigKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(REGISTRY, kind);
}

export function kindModule(kind: ConfigKind): AnyKindModule {
  return REGISTRY[kind];
}
