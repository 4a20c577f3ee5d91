import { describe, expect, it } from 'vitest';
import { bookinfo, run } from '../testing/fixtures';
import { sidecarDefaultSelectorAnalyzer } from './sidecar-default-selector';
import { sidecarSelectorAnalyzer } from './sidecar-selectors';

describe('sidecar.SelectorAnalyzer (IST0101 selector, IST0110)', () => {
  it('reports selectors matching no workload and workloads selected twice', () => {
    expect(run(sidecarSelectorAnalyzer, 'sidecars.yaml', bookinfo)).toEqual([
      'Error [IST0101] (Sidecar default/ghost) Referenced selector not found: "app=ghost"',
      'Error [IST0110] (Sidecar default/reviews) The Sidecars [reviews v1-only] in namespace "default" select the same workload pod "reviews-v1", which can lead to undefined behavior.',
      'Error [IST0110] (Sidecar default/v1-only) The Sidecars [reviews v1-only] in namespace "default" select the same workload pod "reviews-v1", which can lead to undefined behavior.',
    ]);
  });

  it('says nothing when the running workloads are not known', () => {
    expect(run(sidecarSelectorAnalyzer, 'sidecars.yaml', { workloadsKnown: false })).toEqual([]);
  });
});

describe('sidecar.DefaultSelectorAnalyzer (IST0111)', () => {
  it('reports namespaces with more than one Sidecar without a workload selector', () => {
    expect(run(sidecarDefaultSelectorAnalyzer, 'sidecars.yaml')).toEqual([
      'Error [IST0111] (Sidecar default/another-default) The Sidecars [another-default default] in namespace "default" have no workload selector, which can lead to undefined behavior.',
      'Error [IST0111] (Sidecar default/default) The Sidecars [another-default default] in namespace "default" have no workload selector, which can lead to undefined behavior.',
    ]);
  });
});
