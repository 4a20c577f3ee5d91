import { describe, expect, it } from 'vitest';
import { bookinfo, run } from '../testing/fixtures';
import { destinationSubsetAnalyzer } from './destination-subsets';

describe('virtualservice.DestinationRuleAnalyzer (IST0101 host+subset)', () => {
  it('reports subsets no DestinationRule defines, for routes and mirrors', () => {
    expect(run(destinationSubsetAnalyzer, 'destination-subsets.bad.yaml', bookinfo)).toEqual([
      'Error [IST0101] (VirtualService default/details) Referenced host+subset in destinationrule not found: "details.default.svc.cluster.local+v1"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v3"',
      'Error [IST0101] (VirtualService default/reviews) Referenced mirror+subset in destinationrule not found: "reviews+v9"',
    ]);
  });

  it('accepts subsets from exact-host and wildcard DestinationRules, and destinations without subsets', () => {
    expect(run(destinationSubsetAnalyzer, 'destination-subsets.good.yaml', bookinfo)).toEqual([]);
  });

  it("checks the DestinationRule Pilot applies: the client's namespace wins over the service's", () => {
    expect(run(destinationSubsetAnalyzer, 'destination-subsets.precedence.yaml', bookinfo)).toEqual([
      'Error [IST0101] (VirtualService frontend/reviews) Referenced host+subset in destinationrule not found: "reviews.default.svc.cluster.local+v2"',
    ]);
  });

  it('counts subsets of workload-selected DestinationRules in the VirtualService namespace only', () => {
    expect(run(destinationSubsetAnalyzer, 'destination-subsets.workload-selector.yaml', bookinfo)).toEqual([
      'Error [IST0101] (VirtualService frontend/reviews) Referenced host+subset in destinationrule not found: "reviews.default.svc.cluster.local+v4"',
    ]);
  });
});
