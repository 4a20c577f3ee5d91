import type { Service } from '@mizzen/mesh-model';
import { TypeUrl, type Listener, type RouteConfiguration } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, configsFromYaml, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const svc = (name: string, port: number, protocol: Service['ports'][number]['protocol']): Service => ({
  hostname: `${name}.default.svc.cluster.local`,
  namespace: 'default',
  ports: [{ name: protocol.toLowerCase(), number: port, protocol }],
  resolution: 'STATIC',
  location: 'MESH_INTERNAL',
  selector: { app: name },
  source: { kind: 'Registration', namespace: 'default', name },
});

const snapshotWith = (yaml: string) =>
  MeshSnapshot.build({ configs: yaml ? configsFromYaml(yaml) : [], services: [...BOOKINFO_SERVICES, svc('db', 5432, 'TCP'), svc('secure', 8443, 'TLS')], workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);

const listeners = (yaml: string) => generate({ snapshot: snapshotWith(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Listener);

describe('sidecar L4 listeners', () => {
  it('forwards a TCP service port with tcp_proxy on the sidecar address', () => {
    const l = listeners('').find((x) => x.name === 'outbound_tcp_5432')?.body as Listener;
    expect(l.address?.socketAddress).toEqual({ address: '127.1.0.1', portValue: 5432 });
    expect(l.filterChains?.[0].filters?.[0].typedConfig).toMatchObject({ '@type': TypeUrl.TcpProxy, cluster: 'outbound|5432||db.default.svc.cluster.local' });
  });

  it('applies weighted VirtualService tcp routes', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db}
spec:
  hosts: [db]
  tcp:
  - match: [{port: 5432}]
    route:
    - {destination: {host: db, subset: a}, weight: 80}
    - {destination: {host: db, subset: b}, weight: 20}
`;
    const l = listeners(yaml).find((x) => x.name === 'outbound_tcp_5432')?.body as Listener;
    expect(l.filterChains?.[0].filters?.[0].typedConfig).toMatchObject({
      weightedClusters: { clusters: [{ name: 'outbound|5432|a|db.default.svc.cluster.local', weight: 80 }, { name: 'outbound|5432|b|db.default.svc.cluster.local', weight: 20 }] },
    });
  });

  it('selects tcp and tls routes by the match sourceLabels, sourceNamespace and gateways, like HTTP matches', () => {
    const yaml = (match: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db}
spec:
  hosts: [db.default.svc.cluster.local, secure.default.svc.cluster.local]
  tcp:
  - match: [${match}]
    route: [{destination: {host: db, subset: a}}]
  tls:
  - match: [{sniHosts: [secure.default.svc.cluster.local], ${match.slice(1, -1)}}]
    route: [{destination: {host: secure, subset: b}}]
`;
    const routed = (m: string) => {
      const ls = listeners(yaml(m));
      const tcp = (ls.find((x) => x.name === 'outbound_tcp_5432')?.body as Listener).filterChains?.[0].filters?.[0].typedConfig as { cluster?: string };
      const tls = (ls.find((x) => x.name === 'outbound_tls_8443')?.body as Listener).filterChains?.[0].filters?.[0].typedConfig as { cluster?: string };
      return [tcp.cluster, tls.cluster];
    };
    const routedTo = ['outbound|5432|a|db.default.svc.cluster.local', 'outbound|8443|b|secure.default.svc.cluster.local'];
    const defaults = ['outbound|5432||db.default.svc.cluster.local', 'outbound|8443||secure.default.svc.cluster.local'];
    expect(routed('{sourceLabels: {app: productpage}}')).toEqual(routedTo);
    expect(routed('{sourceLabels: {app: reviews}}')).toEqual(defaults);
    expect(routed('{sourceNamespace: default}')).toEqual(routedTo);
    expect(routed('{sourceNamespace: other}')).toEqual(defaults);
    expect(routed('{gateways: [mesh]}')).toEqual(routedTo);
    expect(routed('{gateways: [some-gateway]}')).toEqual(defaults);
  });

  it('passes TLS through by SNI with the TLS inspector', () => {
    const l = listeners('').find((x) => x.name === 'outbound_tls_8443')?.body as Listener;
    expect(l.listenerFilters?.[0].name).toBe('envoy.filters.listener.tls_inspector');
    expect(l.filterChains?.[0].filterChainMatch?.serverNames).toEqual(['secure.default.svc.cluster.local']);
  });
});

describe('match sourceLabels', () => {
  it('generates a match only for proxies whose labels it selects', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{sourceLabels: {app: productpage}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
`;
    const routesFor = (labels: Record<string, string>) => {
      const rc = generate({ snapshot: snapshotWith(yaml), proxy: { ...PRODUCTPAGE_PROXY, labels }, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
      return rc.virtualHosts?.find((v) => v.name === 'reviews.default.svc.cluster.local:9080')?.routes?.map((r) => r.route?.cluster);
    };
    expect(routesFor({ app: 'productpage' })).toEqual(['outbound|9080|v2|reviews.default.svc.cluster.local', 'outbound|9080|v1|reviews.default.svc.cluster.local']);
    expect(routesFor({ app: 'details' })).toEqual(['outbound|9080|v1|reviews.default.svc.cluster.local']);
  });
});
