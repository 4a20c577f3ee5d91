import { type RouteConfiguration, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const drWithHash = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      consistentHash: {httpHeaderName: x-user}
`;

const reviewsRoute = (yaml: string) => {
  const rds = generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
  return rds.virtualHosts?.find((v) => v.name === 'reviews.default.svc.cluster.local:9080')?.routes?.[0];
};

describe('the default route of a service without a VirtualService', () => {
  it("carries the DestinationRule's consistent-hash policy, as Istio's default route does", () => {
    expect(reviewsRoute(drWithHash)?.route?.hashPolicy).toEqual([{ header: { headerName: 'x-user' } }]);
  });

  it('has none without one', () => {
    expect(reviewsRoute('')?.route?.hashPolicy).toBeUndefined();
  });
});
