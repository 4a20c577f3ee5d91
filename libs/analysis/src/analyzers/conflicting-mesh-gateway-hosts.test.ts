import { describe, expect, it } from 'vitest';
import { run } from '../testing/fixtures';
import { conflictingMeshGatewayHostsAnalyzer } from './conflicting-mesh-gateway-hosts';

describe('virtualservice.ConflictingMeshGatewayHostsAnalyzer (IST0109)', () => {
  it('reports every mesh VirtualService sharing a host in the same export scope', () => {
    const tail = 'which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.';
    expect(run(conflictingMeshGatewayHostsAnalyzer, 'conflicting-mesh-gateway-hosts.bad.yaml')).toEqual([
      `Error [IST0109] (VirtualService default/ratings-a) The VirtualServices default/ratings-a,default/ratings-b associated with mesh gateway define the same host default/ratings.default.svc.cluster.local ${tail}`,
      `Error [IST0109] (VirtualService default/ratings-b) The VirtualServices default/ratings-a,default/ratings-b associated with mesh gateway define the same host default/ratings.default.svc.cluster.local ${tail}`,
      `Error [IST0109] (VirtualService default/reviews-a) The VirtualServices default/reviews-a,default/reviews-b associated with mesh gateway define the same host */reviews.default.svc.cluster.local ${tail}`,
      `Error [IST0109] (VirtualService default/reviews-b) The VirtualServices default/reviews-a,default/reviews-b associated with mesh gateway define the same host */reviews.default.svc.cluster.local ${tail}`,
    ]);
  });

  it('ignores gateway-only VirtualServices, disjoint export scopes, and wildcard vs concrete hosts', () => {
    expect(run(conflictingMeshGatewayHostsAnalyzer, 'conflicting-mesh-gateway-hosts.good.yaml')).toEqual([]);
  });
});
