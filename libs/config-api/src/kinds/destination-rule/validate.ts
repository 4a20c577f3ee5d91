import { checkWildcardDomain } from '../../common/checks/dns';
import { validateExportTo } from '../../common/checks/export-to';
import { validateLabels, validateSelectorLabels } from '../../common/checks/labels';
import { checkSubsetName } from '../../common/validate/destination';
import type { Diagnostics } from '../../core/diagnostics';
import type { ConfigResource } from '../../core/types';
import { validateTrafficPolicy } from './traffic-policy';
import type { DestinationRuleSpec } from './types';

/**
 * Istio's `ValidateDestinationRule` webhook checks, with field paths.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export function validateDestinationRule(dr: ConfigResource<'DestinationRule', DestinationRuleSpec>, d: Diagnostics): void {
  const spec = dr.spec;
  d.errorIf('spec.host', checkWildcardDomain(spec.host));
  validateTrafficPolicy(d, 'spec.trafficPolicy', spec.trafficPolicy);
  const names = new Set<string>();
  (spec.subsets ?? []).forEach((s, i) => {
    const at = `spec.subsets[${i}]`;
    if (names.has(s.name)) d.error(`${at}.name`, `duplicate subset names: ${s.name}`);
    names.add(s.name);
    d.errorIf(`${at}.name`, checkSubsetName(s.name));
    // Istio accepts an unlabelled subset (it selects every endpoint); warn, since it is rarely meant.
    if (!s.labels || Object.keys(s.labels).length === 0) d.warn(`${at}.labels`, 'subset has no labels: it selects every endpoint of the service');
    validateLabels(d, `${at}.labels`, s.labels);
    validateTrafficPolicy(d, `${at}.trafficPolicy`, s.trafficPolicy);
  });
  const selector = spec.workloadSelector;
  validateExportTo(d, 'spec.exportTo', dr.metadata.namespace, spec.exportTo, { restrictToOwnNamespace: selector !== undefined });
  if (selector) validateSelectorLabels(d, 'spec.workloadSelector.matchLabels', selector.matchLabels);
}
