import { describe, expect, it } from 'vitest';
import { TypeUrl } from '@mizzen/xds-types';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, bookinfoSnapshot, configsFromYaml, DESTINATION_RULES_YAML, GATEWAY_PROXY, GATEWAY_YAML, GRPC_CLIENT, PRODUCTPAGE_PROXY, REVIEWS_JASON_YAML } from '../testing/bookinfo-fixture';
import { affectedTypes } from './affected-types';
import { Debouncer } from './debouncer';
import { emptyChange, type MeshChange } from './mesh-change';
import type { Timer } from './timer';

class FakeTimer implements Timer {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.next;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = due.at;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = end;
  }
}

describe('Debouncer (100 ms quiet, 10 s max)', () => {
  const make = () => {
    const timer = new FakeTimer();
    const flushed: number[][] = [];
    const d = new Debouncer<number[]>({ quietMs: 100, maxMs: 10_000 }, timer, (a, b) => [...a, ...b], (v) => flushed.push(v));
    return { timer, flushed, d };
  };

  it('merges a burst and flushes after the quiet period', () => {
    const { timer, flushed, d } = make();
    d.push([1]);
    timer.advance(50);
    d.push([2]);
    timer.advance(99);
    expect(flushed).toEqual([]);
    timer.advance(1);
    expect(flushed).toEqual([[1, 2]]);
  });

  it('flushes no later than the max delay under a continuous stream', () => {
    const { timer, flushed, d } = make();
    for (let i = 0; i < 200; i++) {
      d.push([i]);
      timer.advance(60);
    }
    expect(flushed.length).toBeGreaterThanOrEqual(1);
    expect(flushed[0].length).toBeLessThanOrEqual(10_000 / 60 + 1);
  });
});

describe('affectedTypes', () => {
  const before = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + GATEWAY_YAML);
  const after = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + GATEWAY_YAML + '---' + REVIEWS_JASON_YAML, undefined, 2);
  const change = (c: Partial<MeshChange>): MeshChange => ({ ...emptyChange(), ...c });

  it('a mesh HTTP VirtualService touches sidecar routes only', () => {
    const c = change({ configs: new Set(['VirtualService/default/reviews']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after)).toEqual(new Set([TypeUrl.RouteConfiguration]));
    expect(affectedTypes(c, GATEWAY_PROXY, before, after).size).toBe(0);
  });

  it('a VirtualService with tcp or tls routes, before or after, also touches listeners', () => {
    const tcpVs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  tcp:
  - route: [{destination: {host: reviews}}]
`;
    const withTcp = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + GATEWAY_YAML + '\n---\n' + tcpVs, undefined, 3);
    const c = change({ configs: new Set(['VirtualService/default/reviews']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, withTcp)).toEqual(new Set([TypeUrl.RouteConfiguration, TypeUrl.Listener]));
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, withTcp, after)).toEqual(new Set([TypeUrl.RouteConfiguration, TypeUrl.Listener]));
  });

  it('a gateway-bound VirtualService touches only gateways', () => {
    const c = change({ configs: new Set(['VirtualService/default/bookinfo']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after).size).toBe(0);
    expect(affectedTypes(c, GATEWAY_PROXY, before, after)).toEqual(new Set([TypeUrl.RouteConfiguration]));
  });

  it('a Gateway touches the gateways it selects, never sidecars', () => {
    const c = change({ configs: new Set(['Gateway/default/bookinfo-gateway']) });
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after).size).toBe(0);
    expect(affectedTypes(c, GATEWAY_PROXY, before, after)).toEqual(new Set([TypeUrl.Listener, TypeUrl.RouteConfiguration]));
  });

  it('endpoint churn touches EDS only', () => {
    expect([...affectedTypes(change({ workloads: new Set(['default/reviews-v1']) }), PRODUCTPAGE_PROXY, before, after)]).toEqual([TypeUrl.ClusterLoadAssignment]);
  });
});

const bookinfoSnapshotInput = (yaml: string) => ({ configs: configsFromYaml(yaml), services: BOOKINFO_SERVICES, workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG });

describe('affectedTypes for security policies', () => {
  const change = (key: string): MeshChange => ({ ...emptyChange(), configs: new Set([key]) });
  const sec = (kind: string, name: string, ns: string, spec: string) => `apiVersion: security.istio.io/v1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:${spec}\n---\n`;
  const DETAILS_PROXY = { ...PRODUCTPAGE_PROXY, id: 'sidecar~127.1.0.2~details-v1.default~default.svc.cluster.local', ip: '127.1.0.2', workloadName: 'details-v1', labels: { app: 'details', version: 'v1' } };
  const OTHER_NS = { ...PRODUCTPAGE_PROXY, namespace: 'other' };
  const empty = bookinfoSnapshot('');

  it('a workload PeerAuthentication touches the LDS of the workloads it selects only', () => {
    const after = bookinfoSnapshot(sec('PeerAuthentication', 'pp', 'default', '\n  selector: {matchLabels: {app: productpage}}\n  mtls: {mode: STRICT}'), undefined, 2);
    const c = change('PeerAuthentication/default/pp');
    expect(affectedTypes(c, PRODUCTPAGE_PROXY, empty, after)).toEqual(new Set([TypeUrl.Listener]));
    expect(affectedTypes(c, DETAILS_PROXY, empty, after).size).toBe(0);
    expect(affectedTypes(c, GATEWAY_PROXY, empty, after).size).toBe(0);
  });

  it('a namespace PeerAuthentication touches that namespace\'s LDS and every client\'s CDS (auto mTLS), also when deleted', () => {
    const withPa = bookinfoSnapshot(sec('PeerAuthentication', 'default', 'default', '\n  mtls: {mode: DISABLE}'), undefined, 2);
    const c = change('PeerAuthentication/default/default');
    for (const [before, after] of [[empty, withPa], [withPa, empty]]) {
      expect(affectedTypes(c, PRODUCTPAGE_PROXY, before, after)).toEqual(new Set([TypeUrl.Listener, TypeUrl.Cluster]));
      expect(affectedTypes(c, OTHER_NS, before, after)).toEqual(new Set([TypeUrl.Cluster]));
      expect(affectedTypes(c, GATEWAY_PROXY, before, after)).toEqual(new Set([TypeUrl.Cluster]));
    }
  });

  it('AuthorizationPolicy and RequestAuthentication touch the LDS of selected sidecars and gateways; root-namespace ones select in every namespace', () => {
    const ap = bookinfoSnapshot(sec('AuthorizationPolicy', 'deny', 'default', '\n  selector: {matchLabels: {app: details}}\n  action: DENY\n  rules: [{}]'), undefined, 2);
    expect(affectedTypes(change('AuthorizationPolicy/default/deny'), DETAILS_PROXY, empty, ap)).toEqual(new Set([TypeUrl.Listener]));
    expect(affectedTypes(change('AuthorizationPolicy/default/deny'), PRODUCTPAGE_PROXY, empty, ap).size).toBe(0);
    const mesh = bookinfoSnapshot(sec('RequestAuthentication', 'jwt', 'istio-system', '\n  jwtRules: [{issuer: a}]'), undefined, 2);
    const c = change('RequestAuthentication/istio-system/jwt');
    expect(affectedTypes(c, OTHER_NS, empty, mesh)).toEqual(new Set([TypeUrl.Listener]));
    // The gateway runs the same authz filters on its HTTP servers (Istio).
    expect(affectedTypes(c, GATEWAY_PROXY, empty, mesh)).toEqual(new Set([TypeUrl.Listener]));
    expect(affectedTypes(change('AuthorizationPolicy/other/x'), PRODUCTPAGE_PROXY, empty, mesh).size).toBe(0);
  });

  it('a rotated JWKS touches the LDS of the sidecars and gateways whose RequestAuthentications use it, nothing else', () => {
    const uri = 'https://idp.example.com/jwks.json';
    const yaml = sec('RequestAuthentication', 'jwt', 'default', `\n  selector: {matchLabels: {app: details}}\n  jwtRules: [{issuer: a, jwksUri: "${uri}"}]`);
    const [before, after] = [1, 2].map((v) => MeshSnapshot.build({ ...bookinfoSnapshotInput(yaml), jwks: new Map([[uri, `{"keys":[{"kty":"oct","k":"${v}"}]}`]]) }, v));
    const rotated: MeshChange = { ...emptyChange(), jwks: new Set([uri]) };
    expect(affectedTypes(rotated, DETAILS_PROXY, before, after)).toEqual(new Set([TypeUrl.Listener]));
    expect(affectedTypes(rotated, PRODUCTPAGE_PROXY, before, after).size).toBe(0);
    expect(affectedTypes(rotated, GATEWAY_PROXY, before, after).size).toBe(0);
    expect(affectedTypes({ ...emptyChange(), jwks: new Set(['https://other/jwks']) }, DETAILS_PROXY, before, after).size).toBe(0);
  });

  it('a workload change touches CDS only when it changes a service\'s identities (auto mTLS SANs)', () => {
    const extra = (sa: string) => [{ ...BOOKINFO_WORKLOADS[2], name: 'reviews-v4', address: '127.1.0.9', serviceAccount: sa }];
    const snap = (sa: string, v: number) => MeshSnapshot.build({ configs: [], services: BOOKINFO_SERVICES, workloads: [...BOOKINFO_WORKLOADS, ...extra(sa)], mesh: DEFAULT_MESH_CONFIG }, v);
    const base = MeshSnapshot.build({ configs: [], services: BOOKINFO_SERVICES, workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);
    const c = (): MeshChange => ({ ...emptyChange(), workloads: new Set(['default/reviews-v4']) });
    expect(affectedTypes(c(), PRODUCTPAGE_PROXY, base, snap('bookinfo-reviews', 2))).toEqual(new Set([TypeUrl.ClusterLoadAssignment]));
    expect(affectedTypes(c(), PRODUCTPAGE_PROXY, base, snap('reviews-canary', 2))).toEqual(new Set([TypeUrl.ClusterLoadAssignment, TypeUrl.Cluster]));
    expect(affectedTypes(c(), GRPC_CLIENT, base, snap('reviews-canary', 2))).toEqual(new Set([TypeUrl.ClusterLoadAssignment]));
  });
});
