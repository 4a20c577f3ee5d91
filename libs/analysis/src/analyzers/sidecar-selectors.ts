import type { Sidecar } from '@mizzen/config-api';
import { matchesSelector } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import { refOf, selectorString } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';

/**
 * Istio's `sidecar.SelectorAnalyzer`: a Sidecar's workload selector must select a workload in its
 * namespace (IST0101 "selector"), and no workload may be selected by two Sidecars (IST0110). Needs
 * the running workloads, so it reports nothing when they are not known.
 */
export const sidecarSelectorAnalyzer: Analyzer = {
  name: 'sidecar.SelectorAnalyzer',
  description: "Validates that sidecars that define a workload selector match at least one workload, and that there aren't multiple sidecar resources that select overlapping workloads",
  codes: ['IST0101', 'IST0110'],
  analyze(ctx) {
    if (!ctx.workloadsKnown) return [];
    const out: Message[] = [];
    const sidecarsOf = new Map<string, Sidecar[]>();
    for (const sc of ctx.sidecars) {
      const labels = sc.spec.workloadSelector?.labels;
      if (!labels || Object.keys(labels).length === 0) continue;
      const selected = ctx.workloads.filter((w) => w.namespace === sc.metadata.namespace && matchesSelector(w.labels, labels));
      if (selected.length === 0) out.push(msg.referencedResourceNotFound(refOf(sc), 'selector', selectorString(labels), 'spec.workloadSelector'));
      for (const w of selected) {
        const key = `${w.namespace}/${w.name}`;
        sidecarsOf.set(key, [...(sidecarsOf.get(key) ?? []), sc]);
      }
    }
    for (const [workload, sidecars] of sidecarsOf) {
      if (sidecars.length < 2) continue;
      const [namespace, name] = workload.split('/');
      const names = sidecars.map((s) => s.metadata.name).sort();
      for (const sc of sidecars) out.push(msg.conflictingSidecarWorkloadSelectors(refOf(sc), names, namespace, name));
    }
    return out;
  },
};
