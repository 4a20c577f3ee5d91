import { describe, expect, it } from 'vitest';
import { bookinfo, run } from '../testing/fixtures';
import { destinationRuleHostAnalyzer } from './destination-rule-hosts';

describe('destinationrule.PodNotSelectedAnalyzer (IST0174, IST0173)', () => {
  it('reports hosts matching no service and, with the running workloads known, subsets selecting none', () => {
    expect(run(destinationRuleHostAnalyzer, 'destination-rule-hosts.yaml', bookinfo)).toEqual([
      'Error [IST0173] (DestinationRule default/legacy) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Error [IST0173] (DestinationRule default/reviews) The Subset v4 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Warning [IST0174] (DestinationRule default/nosuch) The host nosuch defined in the DestinationRule does not match any services in the mesh.',
    ]);
  });

  it('analyzing files alone, subsets are checked against inline endpoints only', () => {
    expect(run(destinationRuleHostAnalyzer, 'destination-rule-hosts.yaml', { services: bookinfo.services, workloadsKnown: false })).toEqual([
      'Error [IST0173] (DestinationRule default/legacy) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Warning [IST0174] (DestinationRule default/nosuch) The host nosuch defined in the DestinationRule does not match any services in the mesh.',
    ]);
  });

  it('without the registry, hosts of registered services are unknown', () => {
    expect(run(destinationRuleHostAnalyzer, 'destination-rule-hosts.yaml', { workloadsKnown: false })).toEqual([
      'Error [IST0173] (DestinationRule default/legacy) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Warning [IST0174] (DestinationRule default/nosuch) The host nosuch defined in the DestinationRule does not match any services in the mesh.',
      'Warning [IST0174] (DestinationRule default/ratings) The host ratings.default.svc.cluster.local defined in the DestinationRule does not match any services in the mesh.',
      'Warning [IST0174] (DestinationRule default/reviews) The host reviews defined in the DestinationRule does not match any services in the mesh.',
    ]);
  });
});
