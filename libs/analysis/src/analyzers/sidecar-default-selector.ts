import type { Sidecar } from '@mizzen/config-api';
import type { Analyzer } from '../analyzer';
import { refOf } from '../context/names';
import { msg } from '../message-types';

/**
 * Istio's `sidecar.DefaultSelectorAnalyzer`: at most one Sidecar per namespace may omit
 * `workloadSelector`; it is that namespace's default, and two defaults are ambiguous (IST0111).
 */
export const sidecarDefaultSelectorAnalyzer: Analyzer = {
  name: 'sidecar.DefaultSelectorAnalyzer',
  description: 'Validates that there aren\'t multiple sidecar resources that have no workload selector',
  codes: ['IST0111'],
  analyze(ctx) {
    const byNamespace = new Map<string, Sidecar[]>();
    for (const sc of ctx.sidecars) {
      if (sc.spec.workloadSelector) continue;
      byNamespace.set(sc.metadata.namespace, [...(byNamespace.get(sc.metadata.namespace) ?? []), sc]);
    }
    return [...byNamespace].flatMap(([namespace, list]) => {
      if (list.length < 2) return [];
      const names = list.map((s) => s.metadata.name).sort();
      return list.map((sc) => msg.multipleSidecarsWithoutWorkloadSelectors(refOf(sc), names, namespace));
    });
  },
};
