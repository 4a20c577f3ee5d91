import { describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster';
import type { ClusterLoadAssignment } from '../endpoint';
import type { Listener } from '../listener';
import { TypeUrl } from '../type-urls';
import type { RouteConfiguration } from '../route';
import { isResourceTypeUrl, resourceTypes } from './registry';
import { clusterLoadAssignmentType } from './cluster-load-assignment';
import { listenerType } from './listener';
import { clusterType } from './cluster';
import { routeConfigurationType } from './route-configuration';

describe('resource type registry', () => {
  it("registers Istio's PCDS, SDS and Envoy's four resource types in push order with their short names", () => {
    expect([...resourceTypes.values()].map((t) => t.shortName)).toEqual(['PCDS', 'SDS', 'CDS', 'EDS', 'LDS', 'RDS']);
    for (const [url, t] of resourceTypes) expect(t.typeUrl).toBe(url);
  });

  it('marks LDS and CDS as wildcard types', () => {
    const wildcard = [...resourceTypes.values()].filter((t) => t.wildcard).map((t) => t.shortName);
    expect(wildcard.sort()).toEqual(['CDS', 'LDS', 'PCDS']);
  });

  it('extracts resource names', () => {
    const l: Listener = { name: 'hello' };
    const r: RouteConfiguration = { name: '8080' };
    const c: Cluster = { name: 'outbound|8080||hello.default.svc.cluster.local', type: 'EDS' };
    const e: ClusterLoadAssignment = { clusterName: 'outbound|8080||hello.default.svc.cluster.local' };
    expect(listenerType.nameOf(l)).toBe('hello');
    expect(routeConfigurationType.nameOf(r)).toBe('8080');
    expect(clusterType.nameOf(c)).toBe(c.name);
    expect(clusterLoadAssignmentType.nameOf(e)).toBe(e.clusterName);
    expect(resourceTypes.get(TypeUrl.Cluster)?.nameOf(c)).toBe(c.name);
  });

  it('recognises resource type URLs only', () => {
    expect(isResourceTypeUrl(TypeUrl.Listener)).toBe(true);
    expect(isResourceTypeUrl(TypeUrl.HttpConnectionManager)).toBe(false);
  });
});
