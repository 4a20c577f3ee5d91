import type { ProxyNode, Service } from '@mizzen/mesh-model';
import { type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../consistency';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, configsFromYaml, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { expectGolden } from '../testing/golden';
import { generate } from './registry';

/** A ServiceEntry-like service; `addresses` as ServiceEntry `addresses`. */
const svc = (host: string, port: number, protocol: 'TCP' | 'TLS', addresses?: string[]): Service => ({
  hostname: host,
  namespace: 'default',
  ports: [{ name: `${protocol.toLowerCase()}-p`, number: port, protocol }],
  resolution: 'STATIC',
  location: 'MESH_INTERNAL',
  endpoints: [{ address: '127.93.1.11' }],
  ...(addresses ? { addresses } : {}),
  source: { kind: 'ServiceEntry', namespace: 'default', name: host.split('.')[0] },
});

const SERVICES = [
  ...BOOKINFO_SERVICES,
  svc('echo.example.com', 7000, 'TCP', ['10.123.5.0/24']),
  svc('plain.default.svc.cluster.local', 7000, 'TCP'),
  svc('db.example.com', 7100, 'TCP', ['10.123.7.1', '2001:db8::7']),
  svc('secure.example.com', 7443, 'TLS', ['10.123.6.0/24']),
  svc('vip.example.com', 7443, 'TLS', ['10.123.8.8']),
];

const VS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo}
spec:
  hosts: [echo.example.com]
  tcp:
  - match: [{destinationSubnets: [10.123.5.7/32]}, {destinationSubnets: [10.123.5.64/26]}]
    route: [{destination: {host: echo.example.com, subset: v2}}]
  - match: [{destinationSubnets: [10.123.5.9], sourceLabels: {app: nobody}}]
    route: [{destination: {host: echo.example.com, subset: v3}}]
  - route: [{destination: {host: echo.example.com, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: secure}
spec:
  hosts: [secure.example.com]
  tls:
  - match: [{sniHosts: [secure.example.com], destinationSubnets: [10.123.6.66/32]}]
    route: [{destination: {host: secure.example.com, subset: b}}]
  - match: [{sniHosts: [secure.example.com]}]
    route: [{destination: {host: secure.example.com, subset: a}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo.example.com
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}, {name: v3, labels: {version: v3}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: secure}
spec:
  host: secure.example.com
  subsets: [{name: a, labels: {version: a}}, {name: b, labels: {version: b}}]
`;

const TPROXY: ProxyNode = { ...PRODUCTPAGE_PROXY, interceptionMode: 'TPROXY' };

const snapshotWith = (yaml: string) => MeshSnapshot.build({ configs: yaml ? configsFromYaml(yaml) : [], services: SERVICES, workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);

const l4 = (yaml: string, proxy = TPROXY) =>
  generate({ snapshot: snapshotWith(yaml), proxy }, TypeUrl.Listener)
    .filter((r) => r.name.startsWith('outbound_t'))
    .map((r) => r.body as Listener);

/** Each chain as `prefix,prefix [sni] -> cluster`. */
const chains = (l: Listener | undefined) =>
  (l?.filterChains ?? []).map((c) => {
    const m = c.filterChainMatch ?? {};
    const tcp = c.filters[0].typedConfig as { cluster?: string };
    const ranges = (m.prefixRanges ?? []).map((r) => `${r.addressPrefix}/${r.prefixLen?.value}`).join(',') || '*';
    return `${ranges}${m.serverNames ? ` [${m.serverNames.join(',')}]` : ''} -> ${tcp.cluster}`;
  });

describe('TPROXY sidecar: outbound L4 listeners on 0.0.0.0 with prefix_ranges', () => {
  it('binds the wildcard address; NONE-mode proxies keep their own address and one chain', () => {
    const tp = l4('');
    expect(tp.map((l) => [l.name, l.address?.socketAddress?.address])).toEqual([
      ['outbound_tcp_7000', '0.0.0.0'],
      ['outbound_tcp_7100', '0.0.0.0'],
      ['outbound_tls_7443', '0.0.0.0'],
    ]);
    const none = l4(VS, PRODUCTPAGE_PROXY);
    expect(none.map((l) => l.address?.socketAddress?.address)).toEqual(['127.1.0.1', '127.1.0.1', '127.1.0.1']);
    expect(none.flatMap((l) => l.filterChains ?? []).some((c) => c.filterChainMatch?.prefixRanges)).toBe(false);
    expect(chains(none[0])).toEqual(['* -> outbound|7000|v2|echo.example.com']);
  });

  it('gives each service its addresses (a single IP as /32 or /128) and the address-less one the fallback chain', () => {
    const [tcp7000, tcp7100] = l4('');
    expect(chains(tcp7000)).toEqual(['10.123.5.0/24 -> outbound|7000||echo.example.com', '* -> outbound|7000||plain.default.svc.cluster.local']);
    expect(chains(tcp7100)).toEqual(['10.123.7.1/32,2001:db8::7/128 -> outbound|7100||db.example.com']);
  });

  it('turns tcp match destinationSubnets into prefix_ranges, in route order, before the terminal route', () => {
    const [tcp7000] = l4(VS);
    expect(chains(tcp7000)).toEqual([
      '10.123.5.7/32,10.123.5.64/26 -> outbound|7000|v2|echo.example.com',
      // the v3 route's match selects other workloads (sourceLabels): no chain
      '10.123.5.0/24 -> outbound|7000|v1|echo.example.com',
      '* -> outbound|7000||plain.default.svc.cluster.local',
    ]);
  });

  it('keeps the service default when no route is terminal, and no duplicate when the subnets equal its addresses', () => {
    const vs = (subnets: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo}
spec:
  hosts: [echo.example.com]
  tcp:
  - match: [{destinationSubnets: [${subnets}]}]
    route: [{destination: {host: echo.example.com, subset: v2}}]
`;
    expect(chains(l4(vs('10.123.5.7'))[0]).slice(0, 2)).toEqual(['10.123.5.7/32 -> outbound|7000|v2|echo.example.com', '10.123.5.0/24 -> outbound|7000||echo.example.com']);
    expect(chains(l4(vs('10.123.5.0/24'))[0]).slice(0, 2)).toEqual(['10.123.5.0/24 -> outbound|7000|v2|echo.example.com', '* -> outbound|7000||plain.default.svc.cluster.local']);
  });

  it('matches TLS by destination subnet and SNI; a VIP-only service needs no SNI', () => {
    expect(chains(l4('')[2])).toEqual(['10.123.6.0/24 [secure.example.com] -> outbound|7443||secure.example.com', '10.123.8.8/32 -> outbound|7443||vip.example.com']);
    const tls = l4(VS)[2];
    expect(tls.listenerFilters?.[0].name).toBe('envoy.filters.listener.tls_inspector');
    expect(chains(tls)).toEqual([
      '10.123.6.66/32 [secure.example.com] -> outbound|7443|b|secure.example.com',
      '10.123.6.0/24 [secure.example.com] -> outbound|7443|a|secure.example.com',
      '10.123.8.8/32 -> outbound|7443||vip.example.com',
    ]);
  });

  it('drops a (prefix, SNI) pair an earlier chain already matches, as Envoy rejects duplicates', () => {
    const clash = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: plain}
spec:
  hosts: [plain.default.svc.cluster.local]
  tcp:
  - match: [{destinationSubnets: [10.123.5.0/24, 10.123.9.0/24]}]
    route: [{destination: {host: plain.default.svc.cluster.local}}]
`;
    expect(chains(l4(clash)[0])).toEqual([
      '10.123.5.0/24 -> outbound|7000||echo.example.com',
      '10.123.9.0/24 -> outbound|7000||plain.default.svc.cluster.local',
      '* -> outbound|7000||plain.default.svc.cluster.local',
    ]);
  });

  it('matches the golden output and is consistent', () => {
    const snapshot = snapshotWith(VS);
    const listeners = generate({ snapshot, proxy: TPROXY }, TypeUrl.Listener);
    expectGolden(__dirname, 'sidecar-tproxy-l4-listeners', listeners.filter((r) => r.name.startsWith('outbound_t')));
    const all = [TypeUrl.Cluster, TypeUrl.Listener, TypeUrl.RouteConfiguration].flatMap((t) => generate({ snapshot, proxy: TPROXY }, t));
    expect(checkConsistency(all)).toEqual([]);
  });
});
