import type { PolicyTargetReference } from '../../common/messages/policy-target';
import type { LabelSelector } from '../../common/messages/workload-selector';

/**
 * AuthorizationPolicy (`security.istio.io`): access control on a workload, evaluated
 * CUSTOM -> DENY -> ALLOW. `spec: {}` (ALLOW without rules) denies everything.
 * https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface AuthorizationPolicySpec {
  selector?: LabelSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  rules?: AuthorizationRule[];
  /** Default ALLOW. */
  action?: AuthorizationAction;
  /** CUSTOM only: a mesh config `extensionProviders` entry. */
  provider?: ExtensionProvider;
}

export interface ExtensionProvider {
  name?: string;
}

/** A rule matches when any `from` AND any `to` AND every `when` match; absent lists match everything. */
export interface AuthorizationRule {
  from?: RuleFrom[];
  to?: RuleTo[];
  when?: Condition[];
}

export interface RuleFrom {
  source?: Source;
}

export interface RuleTo {
  operation?: Operation;
}

/** Values support exact, prefix (`abc*`), suffix (`*abc`) and presence (`*`) matching. */
export interface Source {
  principals?: string[];
  notPrincipals?: string[];
  requestPrincipals?: string[];
  notRequestPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  serviceAccounts?: string[];
  notServiceAccounts?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
  remoteIpBlocks?: string[];
  notRemoteIpBlocks?: string[];
}

export interface Operation {
  hosts?: string[];
  notHosts?: string[];
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
}

/** https://istio.io/latest/docs/reference/config/security/conditions/ */
export interface Condition {
  key: string;
  values?: string[];
  notValues?: string[];
}
