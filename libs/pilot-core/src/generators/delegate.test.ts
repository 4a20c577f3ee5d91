import { TypeUrl, type RouteConfiguration } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, DESTINATION_RULES_YAML, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const YAML = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /reviews}}]
    delegate: {name: reviews-delegate, namespace: default}
  - route: [{destination: {host: reviews, subset: v3}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-delegate}
spec:
  http:
  - match: [{uri: {prefix: /reviews/1}, headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {prefix: /other}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
`;

describe('VirtualService delegation', () => {
  it('replaces the delegating route by the delegate routes with merged matches', () => {
    const snapshot = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + YAML);
    const rc = generate({ snapshot, proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    const routes = rc.virtualHosts?.find((v) => v.name === 'reviews.default.svc.cluster.local:9080')?.routes ?? [];
    expect(routes.map((r) => [r.match.prefix, r.match.headers?.map((h) => h.name) ?? [], r.route?.cluster])).toEqual([
      ['/reviews/1', ['end-user'], 'outbound|9080|v2|reviews.default.svc.cluster.local'],
      ['/reviews', [], 'outbound|9080|v1|reviews.default.svc.cluster.local'],
      ['/', [], 'outbound|9080|v3|reviews.default.svc.cluster.local'],
    ]);
  });
});
