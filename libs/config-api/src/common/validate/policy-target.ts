import type { Diagnostics } from '../../core/diagnostics';
import type { LabelSelector } from '../messages/workload-selector';
import type { PolicyTargetReference } from '../messages/policy-target';
import { validateSelectorLabels } from '../checks/labels';

interface Targeted {
  selector?: LabelSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
}

/**
 * Istio `validateOneOfSelectorType` + `validateWorkloadSelector` + the CRDs' CEL rules for
 * `targetRef(s)`: at most one of selector/targetRef/targetRefs, selector labels without wildcards,
 * and a target in the policy's own namespace.
 */
export function validatePolicyTargets(d: Diagnostics, spec: Targeted, namespace: string): void {
  const set = [spec.selector && 'selector', spec.targetRef && 'targetRef', spec.targetRefs && 'targetRefs'].filter((x): x is string => !!x);
  if (set.length > 1) d.error(`spec.${set[1]}`, 'only one of targetRefs, targetRef or workloadSelector can be set');
  if (spec.selector) validateSelectorLabels(d, 'spec.selector.matchLabels', spec.selector.matchLabels);
  const refs: [string, PolicyTargetReference][] = [
    ...(spec.targetRef ? [['spec.targetRef', spec.targetRef] as [string, PolicyTargetReference]] : []),
    ...(spec.targetRefs ?? []).map((r, i): [string, PolicyTargetReference] => [`spec.targetRefs[${i}]`, r]),
  ];
  for (const [path, ref] of refs) {
    if (ref.namespace && ref.namespace !== namespace) d.error(`${path}.namespace`, 'cross namespace referencing is not currently supported');
  }
}
