import { describe, expect, it } from 'vitest';
import { TypeUrl, type ClusterLoadAssignment, type Listener, type RouteConfiguration, type XdsResource } from '@mizzen/xds-types';
import { checkConsistency } from '../consistency';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import {
  bookinfoSnapshot,
  DESTINATION_RULES_YAML,
  GATEWAY_PROXY,
  GATEWAY_YAML,
  GRPC_CLIENT,
  PRODUCTPAGE_PROXY,
  REVIEWS_50_50_YAML,
  REVIEWS_JASON_YAML,
} from '../testing/bookinfo-fixture';
import { expectGolden } from '../testing/golden';
import { generate } from './registry';
import type { GenerationContext } from './types';

const ALL_TYPES = [TypeUrl.Listener, TypeUrl.RouteConfiguration, TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment] as const;

/** Generates everything a proxy would subscribe to: wildcard LDS/CDS, then the RDS/EDS names they reference. */
function generateAll(ctx: Omit<GenerationContext, 'names'>, names?: Partial<Record<string, string[]>>): XdsResource[] {
  const lds = generate({ ...ctx, names: names?.[TypeUrl.Listener] }, TypeUrl.Listener);
  const cds = generate({ ...ctx, names: names?.[TypeUrl.Cluster] }, TypeUrl.Cluster);
  const rdsNames = names?.[TypeUrl.RouteConfiguration] ?? lds.flatMap((l) => rdsOf(l.body as Listener));
  const rds = generate({ ...ctx, names: rdsNames }, TypeUrl.RouteConfiguration);
  const edsNames = cds.filter((c) => (c.body as { type?: string }).type === 'EDS').map((c) => c.name);
  const eds = generate({ ...ctx, names: edsNames }, TypeUrl.ClusterLoadAssignment);
  return [...lds, ...rds, ...cds, ...eds];
}

function rdsOf(l: Listener): string[] {
  const h = (l.filterChains?.[0]?.filters?.[0]?.typedConfig ?? l.apiListener?.apiListener) as { rds?: { routeConfigName: string } } | undefined;
  return h?.rds ? [h.rds.routeConfigName] : [];
}

const byName = <T>(rs: XdsResource[], type: string, name: string): T => rs.find((r) => r.typeUrl === type && r.name === name)?.body as T;

describe('sidecar generators (Bookinfo)', () => {
  const snapshot = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + REVIEWS_JASON_YAML);
  const out = generateAll({ snapshot, proxy: PRODUCTPAGE_PROXY });

  it('matches the golden output and is consistent', () => {
    expect(checkConsistency(out)).toEqual([]);
    expectGolden(__dirname, 'sidecar-productpage-jason', out);
  });

  it('binds the HTTP proxy listener and one inbound listener on the workload address', () => {
    const names = out.filter((r) => r.typeUrl === TypeUrl.Listener).map((r) => r.name);
    expect(names).toEqual(['127.1.0.1_9080', 'outbound_http_proxy']);
    const l = byName<Listener>(out, TypeUrl.Listener, 'outbound_http_proxy');
    expect(l.address?.socketAddress).toEqual({ address: '127.1.0.1', portValue: 15001 });
  });

  it('routes end-user jason to reviews v2 and everyone else to v1', () => {
    const rc = byName<RouteConfiguration>(out, TypeUrl.RouteConfiguration, 'http_proxy');
    const vh = rc.virtualHosts?.find((v) => v.name === 'reviews.default.svc.cluster.local:9080');
    expect(vh?.domains).toContain('reviews:9080');
    expect(vh?.domains).toContain('reviews.default.svc.cluster.local:9080');
    expect(vh?.routes?.[0].match.headers).toEqual([{ name: 'end-user', stringMatch: { exact: 'jason' } }]);
    expect(vh?.routes?.[0].route?.cluster).toBe('outbound|9080|v2|reviews.default.svc.cluster.local');
    expect(vh?.routes?.[1].route?.cluster).toBe('outbound|9080|v1|reviews.default.svc.cluster.local');
    // services without a VirtualService get a default route with Istio's default retries
    const details = rc.virtualHosts?.find((v) => v.name === 'details.default.svc.cluster.local:9080');
    expect(details?.routes?.[0].route?.cluster).toBe('outbound|9080||details.default.svc.cluster.local');
    expect(details?.routes?.[0].route?.retryPolicy?.numRetries).toEqual({ value: 2 });
    expect(rc.virtualHosts?.at(-1)?.name).toBe('allow_any');
  });

  it('gives subset clusters only their subset endpoints, grouped by locality', () => {
    const v2 = byName<ClusterLoadAssignment>(out, TypeUrl.ClusterLoadAssignment, 'outbound|9080|v2|reviews.default.svc.cluster.local');
    expect(v2.endpoints).toHaveLength(1);
    expect(v2.endpoints?.[0].locality).toEqual({ region: 'region1', zone: 'zone2' });
    expect(v2.endpoints?.[0].lbEndpoints?.[0].endpoint?.address?.socketAddress).toEqual({ address: '127.1.0.4', portValue: 9080 });
    const all = byName<ClusterLoadAssignment>(out, TypeUrl.ClusterLoadAssignment, 'outbound|9080||reviews.default.svc.cluster.local');
    expect(all.endpoints?.flatMap((e) => e.lbEndpoints ?? [])).toHaveLength(3);
  });

  it('applies DestinationRule traffic policy to clusters', () => {
    const ratings = out.find((r) => r.name === 'outbound|9080|v1|ratings.default.svc.cluster.local')?.body as { lbPolicy?: string; circuitBreakers?: { thresholds?: Array<{ maxConnections?: { value: number } }> } };
    expect(ratings.lbPolicy).toBe('LEAST_REQUEST');
    expect(ratings.circuitBreakers?.thresholds?.[0].maxConnections).toEqual({ value: 10 });
  });

  it('weights 50/50 between v1 and v3', () => {
    const s = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + REVIEWS_50_50_YAML);
    const rc = generate({ snapshot: s, proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    const vh = rc.virtualHosts?.find((v) => v.name === 'reviews.default.svc.cluster.local:9080');
    expect(vh?.routes?.[0].route?.weightedClusters?.clusters).toEqual([
      { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', weight: { value: 50 } },
      { name: 'outbound|9080|v3|reviews.default.svc.cluster.local', weight: { value: 50 } },
    ]);
  });

  it('blocks unknown hosts under REGISTRY_ONLY', () => {
    const s = bookinfoSnapshot(DESTINATION_RULES_YAML, { ...DEFAULT_MESH_CONFIG, outboundTrafficPolicy: 'REGISTRY_ONLY' });
    const rc = generate({ snapshot: s, proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    expect(rc.virtualHosts?.at(-1)).toMatchObject({ name: 'block_all', routes: [{ directResponse: { status: 502 } }] });
  });

  it('is deterministic', () => {
    const again = generateAll({ snapshot: bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + REVIEWS_JASON_YAML), proxy: PRODUCTPAGE_PROXY });
    expect(JSON.stringify(again)).toBe(JSON.stringify(out));
  });
});

describe('gateway generators', () => {
  const snapshot = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + GATEWAY_YAML);
  const out = generateAll({ snapshot, proxy: GATEWAY_PROXY });

  it('matches the golden output and is consistent', () => {
    expect(checkConsistency(out)).toEqual([]);
    expectGolden(__dirname, 'gateway-bookinfo', out);
  });

  it('listens on the server port and routes the Bookinfo paths to productpage', () => {
    const l = byName<Listener>(out, TypeUrl.Listener, '0.0.0.0_8080');
    expect(l.address?.socketAddress).toEqual({ address: '127.0.0.1', portValue: 8080 });
    const rc = byName<RouteConfiguration>(out, TypeUrl.RouteConfiguration, 'http.8080');
    expect(rc.virtualHosts).toHaveLength(1);
    expect(rc.virtualHosts?.[0].domains).toEqual(['*']);
    expect(rc.virtualHosts?.[0].routes?.map((r) => r.match)).toEqual([{ path: '/productpage' }, { prefix: '/static' }]);
    expect(rc.virtualHosts?.[0].routes?.[0].route?.cluster).toBe('outbound|9080||productpage.default.svc.cluster.local');
  });

  it('a sidecar gets no gateway routes', () => {
    const rc = generate({ snapshot, proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    const pp = rc.virtualHosts?.find((v) => v.name === 'productpage.default.svc.cluster.local:9080');
    expect(pp?.routes?.[0].name).toBe('default');
  });
});

describe('proxyless gRPC generators', () => {
  const snapshot = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + REVIEWS_50_50_YAML);
  const target = 'reviews.default.svc.cluster.local:9080';
  const names = {
    [TypeUrl.Listener]: [target],
    [TypeUrl.RouteConfiguration]: [target],
    [TypeUrl.Cluster]: ['outbound|9080|v1|reviews.default.svc.cluster.local', 'outbound|9080|v3|reviews.default.svc.cluster.local'],
  };
  const out = generateAll({ snapshot, proxy: GRPC_CLIENT }, names);

  it('serves an API listener, a route for the target and EDS clusters', () => {
    expectGolden(__dirname, 'proxyless-reviews', out);
    const l = byName<Listener>(out, TypeUrl.Listener, target);
    expect(l.apiListener).toBeDefined();
    const rc = byName<RouteConfiguration>(out, TypeUrl.RouteConfiguration, target);
    expect(rc.virtualHosts?.[0].domains).toContain(target);
    expect(out.filter((r) => r.typeUrl === TypeUrl.Cluster).map((r) => (r.body as { lbPolicy?: string }).lbPolicy)).toEqual(['ROUND_ROBIN', 'ROUND_ROBIN']);
  });

  it('ignores targets that resolve to nothing', () => {
    expect(generate({ snapshot, proxy: GRPC_CLIENT, names: ['nope:1'] }, TypeUrl.Listener)).toEqual([]);
  });
});

void ALL_TYPES;
