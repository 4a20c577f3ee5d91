import type { ProxyNode, Workload } from '@mizzen/mesh-model';
import { type ClusterLoadAssignment, type ResourceTypeUrl, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { generate } from '../generators/registry';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { emptyChange, type MeshChange } from '../push/mesh-change';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, configsFromYaml, GATEWAY_PROXY, GATEWAY_YAML, GRPC_CLIENT, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { GenerationCache } from './generation-cache';

const REVIEWS = 'outbound|9080||reviews.default.svc.cluster.local';
const RATINGS = 'outbound|9080||ratings.default.svc.cluster.local';
const DETAILS = 'outbound|9080||details.default.svc.cluster.local';

/**
 * Reviews (v1, v3 in region1/zone1, v2 in zone2) with outlier detection: EDS priorities follow
 * the proxy's locality. Ratings (v1, and v2 added below) fail over by the proxy's `version` label.
 */
const DRS = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s}
    loadBalancer: {simple: ROUND_ROBIN, localityLbSetting: {enabled: true}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s}
    loadBalancer: {simple: ROUND_ROBIN, localityLbSetting: {enabled: true, failoverPriority: [version]}}
  subsets:
  - {name: v1, labels: {version: v1}}
`;
const WORKLOADS: Workload[] = [...BOOKINFO_WORKLOADS, { ...BOOKINFO_WORKLOADS[5], name: 'ratings-v2', address: '127.1.0.7', labels: { app: 'ratings', version: 'v2' } }];

/** Only productpage-labelled proxies get a scope: two services and REGISTRY_ONLY. */
const SCOPED_SIDECAR = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage, namespace: default}
spec:
  workloadSelector: {labels: {app: productpage}}
  egress:
  - hosts: ["./reviews.default.svc.cluster.local", "./details.default.svc.cluster.local"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
`;

/** A route that exists only for proxies labelled version=v2. */
const SOURCE_LABELS_VS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{sourceLabels: {version: v2}}]
    route: [{destination: {host: ratings, subset: v1}}]
  - route: [{destination: {host: ratings}}]
`;

/** Security policies: inbound listeners by workload labels, auto mTLS in clusters. */
const SECURITY = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews-strict, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  mtls: {mode: STRICT}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ratings-disable, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  mtls: {mode: DISABLE}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: productpage-deny, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  action: DENY
  rules: [{to: [{operation: {paths: [/admin]}}]}]
`;

/** A DestinationRule only for proxies labelled app=details-client (a subset and a hash policy). */
const SELECTED_DR = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: details-for-clients, namespace: default}
spec:
  host: details
  workloadSelector: {matchLabels: {app: details-client}}
  trafficPolicy:
    loadBalancer: {consistentHash: {httpHeaderName: x-user}}
  subsets:
  - {name: v1, labels: {version: v1}}
`;

const ALL_YAML = [DRS, GATEWAY_YAML, SCOPED_SIDECAR, SOURCE_LABELS_VS, SECURITY, SELECTED_DR].join('\n---\n');

const snapshotOf = (yaml: string, workloads: readonly Workload[] = WORKLOADS, version = 1): MeshSnapshot =>
  MeshSnapshot.build({ configs: configsFromYaml(yaml), services: BOOKINFO_SERVICES, workloads, mesh: DEFAULT_MESH_CONFIG }, version);

/** A cache whose value is the generated resources themselves, counting generator calls. */
function rawCache() {
  let calls = 0;
  const cache = new GenerationCache<XdsResource[]>({
    generate: (ctx, t) => {
      calls++;
      return generate(ctx, t);
    },
    build: (r) => [...r],
    combine: (parts) => parts.flat(),
  });
  return { cache, calls: () => calls };
}

const direct = (snapshot: MeshSnapshot, proxy: ProxyNode, t: ResourceTypeUrl, names?: readonly string[]) => generate({ snapshot, proxy, names }, t);

// Sidecars of the default namespace, each differing from the first in one field a generator reads.
const BASE: ProxyNode = { ...PRODUCTPAGE_PROXY, labels: { app: 'ratings-client', version: 'v1' }, inbound: [] };
const SIDECARS: Record<string, ProxyNode> = {
  base: BASE,
  'other ip and id': { ...BASE, id: 'sidecar~127.1.0.99~x.default~default.svc.cluster.local', ip: '127.1.0.99', workloadName: 'x' },
  'locality zone2': { ...BASE, locality: { region: 'region1', zone: 'zone2' } },
  'locality region2': { ...BASE, locality: { region: 'region2' } },
  'Sidecar-scoped (app=productpage)': { ...BASE, labels: { app: 'productpage', version: 'v1' } },
  'sourceLabels version=v2': { ...BASE, labels: { app: 'ratings-client', version: 'v2' } },
  'other namespace': { ...BASE, namespace: 'other' },
  'DestinationRule workloadSelector app=details-client': { ...BASE, labels: { app: 'details-client', version: 'v1' } },
  'other namespace, app=details-client': { ...BASE, namespace: 'other', labels: { app: 'details-client', version: 'v1' } },
  'inbound port': { ...BASE, inbound: PRODUCTPAGE_PROXY.inbound },
  'inbound port, app=productpage (DENY policy)': { ...BASE, labels: { app: 'productpage', version: 'v1' }, inbound: PRODUCTPAGE_PROXY.inbound },
  'inbound port, app=reviews (STRICT mTLS)': { ...BASE, labels: { app: 'reviews', version: 'v1' }, inbound: PRODUCTPAGE_PROXY.inbound },
};
const TYPES: Array<[ResourceTypeUrl, readonly string[] | undefined]> = [
  [TypeUrl.Cluster, undefined],
  [TypeUrl.ClusterLoadAssignment, [REVIEWS, RATINGS, DETAILS]],
  [TypeUrl.Listener, undefined],
  [TypeUrl.RouteConfiguration, ['http_proxy']],
];

describe('GenerationCache keys', () => {
  it('serves every proxy exactly what the generators give it, whatever the order of requests', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const proxies = [...Object.values(SIDECARS), GATEWAY_PROXY, GRPC_CLIENT, { ...GATEWAY_PROXY, ip: '127.0.0.2', id: 'router~127.0.0.2~gw2' }];
    for (const order of [proxies, [...proxies].reverse()]) {
      const { cache } = rawCache();
      for (const [t, names] of TYPES) {
        for (const p of order) {
          const n = p.type === 'proxyless' ? ['reviews:9080'] : names;
          expect(cache.get(snapshot, p, t, n), `${p.id} ${t}`).toEqual(direct(snapshot, p, t, n));
        }
      }
    }
  });

  it('two proxies that differ in locality do not share EDS (priorities follow the locality)', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const { cache } = rawCache();
    const zone1 = cache.get(snapshot, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [REVIEWS]);
    const zone2 = cache.get(snapshot, SIDECARS['locality zone2'], TypeUrl.ClusterLoadAssignment, [REVIEWS]);
    const priorities = (r: XdsResource[]) => (r[0].body as ClusterLoadAssignment).endpoints?.map((e) => [e.locality?.zone, e.priority ?? 0]);
    expect(priorities(zone1)).toEqual([['zone1', 0], ['zone2', 1]]);
    expect(priorities(zone2)).toEqual([['zone2', 0], ['zone1', 1]]);
  });

  it('two proxies that differ in the labels a failoverPriority reads do not share EDS', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const { cache } = rawCache();
    const v1 = cache.get(snapshot, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [RATINGS]);
    const v2 = cache.get(snapshot, SIDECARS['sourceLabels version=v2'], TypeUrl.ClusterLoadAssignment, [RATINGS]);
    expect(v1).toEqual(direct(snapshot, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [RATINGS]));
    expect(v2).toEqual(direct(snapshot, SIDECARS['sourceLabels version=v2'], TypeUrl.ClusterLoadAssignment, [RATINGS]));
    expect(v1).not.toEqual(v2);
  });

  it('two proxies of one namespace that differ in Sidecar scope do not share CDS or RDS', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const scoped = SIDECARS['Sidecar-scoped (app=productpage)'];
    for (const [first, second] of [
      [SIDECARS.base, scoped],
      [scoped, SIDECARS.base],
    ]) {
      const { cache } = rawCache();
      for (const [t, names] of [[TypeUrl.Cluster, undefined], [TypeUrl.RouteConfiguration, ['http_proxy']]] as const) {
        const a = cache.get(snapshot, first, t, names);
        const b = cache.get(snapshot, second, t, names);
        expect(a).toEqual(direct(snapshot, first, t, names));
        expect(b).toEqual(direct(snapshot, second, t, names));
        expect(a).not.toEqual(b);
      }
    }
    const { cache } = rawCache();
    const hosts = (r: XdsResource[]) => new Set(r.map((c) => c.name.split('|')[3]).filter(Boolean));
    expect(hosts(cache.get(snapshot, scoped, TypeUrl.Cluster, undefined))).toEqual(new Set(['details.default.svc.cluster.local', 'reviews.default.svc.cluster.local']));
  });

  it('two proxies that differ in a DestinationRule workloadSelector match do not share CDS or RDS', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const selected = SIDECARS['DestinationRule workloadSelector app=details-client'];
    const { cache } = rawCache();
    const subset = 'outbound|9080|v1|details.default.svc.cluster.local';
    const clusters = (p: ProxyNode) => cache.get(snapshot, p, TypeUrl.Cluster, undefined).map((c) => c.name);
    expect(clusters(BASE)).not.toContain(subset);
    expect(clusters(selected)).toContain(subset);
    // Selector rules never apply across namespaces, whatever the labels.
    expect(clusters(SIDECARS['other namespace, app=details-client'])).not.toContain(subset);
    const routes = (p: ProxyNode) => JSON.stringify(cache.get(snapshot, p, TypeUrl.RouteConfiguration, ['http_proxy']));
    expect(routes(selected)).toContain('x-user');
    expect(routes(BASE)).not.toContain('x-user');
  });

  it('two proxies that differ in a VirtualService sourceLabels match do not share RDS', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const { cache } = rawCache();
    const v1 = cache.get(snapshot, SIDECARS.base, TypeUrl.RouteConfiguration, ['http_proxy']);
    const v2 = cache.get(snapshot, SIDECARS['sourceLabels version=v2'], TypeUrl.RouteConfiguration, ['http_proxy']);
    expect(JSON.stringify(v2)).toContain('outbound|9080|v1|ratings.default.svc.cluster.local');
    expect(JSON.stringify(v1)).not.toContain('outbound|9080|v1|ratings.default.svc.cluster.local');
  });

  it('shares CDS, RDS and EDS between sidecars that differ only in what those generators do not read', () => {
    const snapshot = snapshotOf(ALL_YAML);
    const { cache, calls } = rawCache();
    const a = SIDECARS.base;
    const b = { ...SIDECARS['other ip and id'], labels: { app: 'another-app', version: 'v1' } };
    for (const [t, names] of [[TypeUrl.Cluster, undefined], [TypeUrl.RouteConfiguration, ['http_proxy']], [TypeUrl.ClusterLoadAssignment, [REVIEWS]]] as const) {
      expect(cache.get(snapshot, b, t, names)).toEqual(cache.get(snapshot, a, t, names));
    }
    expect(calls()).toBe(3); // one generation per type for both proxies
    // LDS carries the proxy's address: never shared.
    expect(cache.get(snapshot, b, TypeUrl.Listener, undefined)).not.toEqual(cache.get(snapshot, a, TypeUrl.Listener, undefined));
  });
});

describe('GenerationCache invalidation', () => {
  const change = (c: Partial<MeshChange>): MeshChange => ({ ...emptyChange(), ...c });
  const moved = WORKLOADS.map((w) => (w.name === 'reviews-v2' ? { ...w, address: '127.1.0.42' } : w));

  it('on an endpoint-only change keeps the EDS of services that select none of the changed workloads', () => {
    const before = snapshotOf(ALL_YAML);
    const after = snapshotOf(ALL_YAML, moved, 2);
    const { cache, calls } = rawCache();
    const p = SIDECARS.base;
    cache.get(before, p, TypeUrl.ClusterLoadAssignment, [REVIEWS, RATINGS]);
    cache.get(before, p, TypeUrl.Cluster, undefined);
    expect(calls()).toBe(3);
    cache.advance(before, after, change({ workloads: new Set(['default/reviews-v2']) }));
    const eds = cache.get(after, p, TypeUrl.ClusterLoadAssignment, [REVIEWS, RATINGS]);
    expect(calls()).toBe(4); // reviews regenerated, ratings kept
    expect(eds).toEqual(direct(after, p, TypeUrl.ClusterLoadAssignment, [REVIEWS, RATINGS]));
    expect(JSON.stringify(eds)).toContain('127.1.0.42');
    cache.get(after, p, TypeUrl.Cluster, undefined);
    expect(calls()).toBe(5); // CDS reads workloads too (auto mTLS identities): not kept
  });

  it('drops a service whose selector stopped matching a workload (the workload as it was counts)', () => {
    const relabelled = WORKLOADS.map((w) => (w.name === 'details-v1' ? { ...w, labels: { app: 'moved' } } : w));
    const before = snapshotOf(ALL_YAML);
    const after = snapshotOf(ALL_YAML, relabelled, 2);
    const { cache } = rawCache();
    cache.get(before, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [DETAILS]);
    cache.advance(before, after, change({ workloads: new Set(['default/details-v1']) }));
    expect(cache.get(after, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [DETAILS])).toEqual(direct(after, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [DETAILS]));
    expect(JSON.stringify(cache.get(after, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [DETAILS]))).not.toContain('127.1.0.2');
  });

  it('a rotated JWKS yields new listener content (the key set is generation input); EDS stays', () => {
    const uri = 'https://idp.example.com/jwks.json';
    const ra = `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: jwt, namespace: istio-system}\nspec:\n  jwtRules: [{issuer: a, jwksUri: "${uri}"}]`;
    const yaml = [ALL_YAML, ra].join('\n---\n');
    const keys = (k: string) => `{"keys":[{"kty":"oct","kid":"${k}","k":"AAAA"}]}`;
    const [before, after] = [keys('A'), keys('B')].map((jwks, i) => MeshSnapshot.build({ configs: configsFromYaml(yaml), services: BOOKINFO_SERVICES, workloads: WORKLOADS, mesh: DEFAULT_MESH_CONFIG, jwks: new Map([[uri, jwks]]) }, i + 1));
    const { cache, calls } = rawCache();
    const p = PRODUCTPAGE_PROXY;
    const lds = JSON.stringify(cache.get(before, p, TypeUrl.Listener, undefined));
    cache.get(before, p, TypeUrl.ClusterLoadAssignment, [RATINGS]);
    expect(lds).toContain('\\"kid\\":\\"A\\"');
    cache.advance(before, after, change({ jwks: new Set([uri]) }));
    const rotated = JSON.stringify(cache.get(after, p, TypeUrl.Listener, undefined));
    expect(rotated).toContain('\\"kid\\":\\"B\\"');
    expect(rotated).toBe(JSON.stringify(direct(after, p, TypeUrl.Listener)));
    expect(calls()).toBe(3);
    cache.get(after, p, TypeUrl.ClusterLoadAssignment, [RATINGS]);
    expect(calls()).toBe(3); // EDS never reads key sets
  });

  it('starts over on a config change, and on a snapshot it was not advanced to', () => {
    const before = snapshotOf(ALL_YAML);
    const after = snapshotOf(ALL_YAML.replace('consecutive5xxErrors: 1', 'consecutive5xxErrors: 2'), WORKLOADS, 2);
    const { cache, calls } = rawCache();
    cache.get(before, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [RATINGS]);
    cache.advance(before, after, change({ configs: new Set(['DestinationRule/default/reviews']) }));
    cache.get(after, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [RATINGS]);
    expect(calls()).toBe(2);
    const other = snapshotOf(ALL_YAML, moved, 3);
    expect(cache.get(other, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [RATINGS])).toEqual(direct(other, SIDECARS.base, TypeUrl.ClusterLoadAssignment, [RATINGS]));
    expect(calls()).toBe(3);
  });
});
