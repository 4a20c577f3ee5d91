import { type Cluster, type RouteConfiguration, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

/** Scoped to details only; unknown hosts go to ratings:9080 (standing in for an egress proxy). */
const SIDECAR = (policy: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default}
spec:
  egress:
  - hosts: ["./details.default.svc.cluster.local"]
  outboundTrafficPolicy: ${policy}
`;

const catchAll = (yaml: string) => {
  const rc = generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
  return rc.virtualHosts?.at(-1);
};
const clusterNames = (yaml: string) => generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).map((r) => (r.body as Cluster).name);

const RATINGS = 'outbound|9080||ratings.default.svc.cluster.local';

describe('Sidecar outboundTrafficPolicy.egressProxy (Istio BuildCatchAllVirtualHost)', () => {
  it("routes unknown hosts to the egress proxy's cluster instead of the passthrough cluster", () => {
    const vh = catchAll(SIDECAR('{mode: ALLOW_ANY, egressProxy: {host: ratings, port: {number: 9080}}}'));
    expect(vh).toMatchObject({ name: 'allow_any', domains: ['*'], routes: [{ route: { cluster: RATINGS } }] });
  });

  it('a subset of the egress proxy names its subset cluster', () => {
    const vh = catchAll(SIDECAR('{mode: ALLOW_ANY, egressProxy: {host: ratings.default.svc.cluster.local, subset: v1, port: {number: 9080}}}'));
    expect(vh?.routes?.[0].route?.cluster).toBe('outbound|9080|v1|ratings.default.svc.cluster.local');
  });

  it("keeps the egress proxy's clusters even when the Sidecar's egress hosts leave its service out", () => {
    expect(clusterNames(SIDECAR('{mode: ALLOW_ANY}'))).not.toContain(RATINGS);
    expect(clusterNames(SIDECAR('{mode: ALLOW_ANY, egressProxy: {host: ratings, port: {number: 9080}}}'))).toContain(RATINGS);
  });

  it('without egressProxy, ALLOW_ANY passes through', () => {
    expect(catchAll(SIDECAR('{mode: ALLOW_ANY}'))?.routes?.[0].route?.cluster).toBe('PassthroughCluster');
  });
});
