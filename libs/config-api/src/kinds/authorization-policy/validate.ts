import { validatePolicyTargets } from '../../common/validate/policy-target';
import type { Diagnostics } from '../../core/diagnostics';
import type { ConfigResource } from '../../core/types';
import { validateRule } from './rules';
import type { AuthorizationPolicySpec } from './types';

/**
 * Istio `ValidateAuthorizationPolicy` (pkg/config/validation): selector/targetRefs, CUSTOM needs
 * a provider name and rules, `provider` only with CUSTOM, then every rule's sources, operations
 * and conditions. https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export function validateAuthorizationPolicy(ap: ConfigResource<'AuthorizationPolicy', AuthorizationPolicySpec>, d: Diagnostics): void {
  const spec = ap.spec;
  validatePolicyTargets(d, spec, ap.metadata.namespace);
  const action = spec.action ?? 'ALLOW';
  if (action === 'CUSTOM') {
    if (!spec.rules) {
      d.error('spec.rules', 'CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request');
    }
    if (!spec.provider?.name) d.error('spec.provider.name', '`provider.name` must not be empty');
  } else if (spec.provider) {
    d.error('spec.provider', `\`provider\` must not be with non CUSTOM action, found ${action}`);
  }
  if (action === 'DENY' && !spec.rules?.length) d.warn('spec.rules', 'DENY action without rules never matches: the policy has no effect');
  spec.rules?.forEach((rule, i) => validateRule(d, `spec.rules[${i}]`, rule, i));
}
