import { type FilterChain, type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../consistency';
import { bookinfoSnapshot, GATEWAY_PROXY } from '../../testing/bookinfo-fixture';
import { generate } from '../registry';

const CERT = 'serverCertificate: /certs/a.crt, privateKey: /certs/a.key';

function gatewayConfig(yaml: string) {
  const snapshot = bookinfoSnapshot(yaml);
  const ctx = { snapshot, proxy: GATEWAY_PROXY };
  const lds = generate(ctx, TypeUrl.Listener).map((r) => r.body as Listener);
  const all = [...generate(ctx, TypeUrl.Listener), ...generate(ctx, TypeUrl.RouteConfiguration), ...generate(ctx, TypeUrl.Cluster)];
  return { lds, routeNames: generate(ctx, TypeUrl.RouteConfiguration).map((r) => r.name), problems: checkConsistency(all) };
}

const listener = (lds: Listener[], port: number): Listener => {
  const l = lds.find((x) => x.name === `0.0.0.0_${port}`);
  if (!l) throw new Error(`no listener for port ${port}`);
  return l;
};

/**
 * Envoy's rule: no two chains of a listener may have the same match. Expands each chain's match
 * to one key per server name (Envoy indexes chains per name) with the rest of the match.
 */
function duplicateMatches(l: Listener): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const c of l.filterChains ?? []) {
    const { serverNames, ...rest } = c.filterChainMatch ?? {};
    for (const name of serverNames?.length ? serverNames : ['']) {
      const key = JSON.stringify({ name, ...rest });
      if (seen.has(key)) dups.push(key);
      seen.add(key);
    }
  }
  return dups;
}

const tcpCluster = (c: FilterChain | undefined): unknown => (c?.filters?.[0].typedConfig as { cluster?: string } | undefined)?.cluster;

describe('gateway servers sharing a port', () => {
  it('skips a later HTTPS server that repeats a host of an earlier one (Istio: duplicate host names)', () => {
    const { lds, routeNames, problems } = gatewayConfig(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw-a}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https-a, protocol: HTTPS}
    hosts: ["a.example.com"]
    tls: {mode: SIMPLE, ${CERT}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw-b}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https-b, protocol: HTTPS}
    hosts: ["default/a.example.com", "b.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /certs/b.crt, privateKey: /certs/b.key}
  - port: {number: 8443, name: https-c, protocol: HTTPS}
    hosts: ["c.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /certs/c.crt, privateKey: /certs/c.key}
`);
    const l = listener(lds, 8443);
    expect(duplicateMatches(l)).toEqual([]);
    expect(l.filterChains?.map((c) => c.filterChainMatch?.serverNames)).toEqual([['a.example.com'], ['c.example.com']]);
    expect(JSON.stringify(l.filterChains?.[0].transportSocket)).toContain('/certs/a.crt');
    expect(routeNames).toEqual(['https.8443.0.gw-a.default', 'https.8443.1.gw-b.default']);
    expect(problems).toEqual([]);
  });

  it('gives each passthrough SNI name to its first route only, and never one an HTTPS server serves', () => {
    const { lds } = gatewayConfig(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["web.example.org"]
    tls: {mode: SIMPLE, ${CERT}}
  - port: {number: 443, name: tls, protocol: TLS}
    hosts: ["*.example.org"]
    tls: {mode: PASSTHROUGH}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs-1}
spec:
  hosts: ["*.example.org"]
  gateways: [gw]
  tls:
  - match: [{port: 443, sniHosts: [db.example.org, web.example.org]}]
    route: [{destination: {host: ratings, port: {number: 9080}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs-2}
spec:
  hosts: ["*.example.org"]
  gateways: [gw]
  tls:
  - match: [{port: 443, sniHosts: [db.example.org, cache.example.org]}]
    route: [{destination: {host: details, port: {number: 9080}}}]
  - match: [{port: 443, sniHosts: [cache.example.org]}]
    route: [{destination: {host: reviews, port: {number: 9080}}}]
`);
    const l = listener(lds, 443);
    expect(duplicateMatches(l)).toEqual([]);
    const bySni = Object.fromEntries((l.filterChains ?? []).flatMap((c) => (c.filterChainMatch?.serverNames ?? []).map((n) => [n, c])));
    expect(Object.keys(bySni).sort()).toEqual(['cache.example.org', 'db.example.org', 'web.example.org']);
    expect(bySni['web.example.org'].transportSocket).toBeDefined();
    expect(tcpCluster(bySni['db.example.org'])).toBe('outbound|9080||ratings.default.svc.cluster.local');
    expect(tcpCluster(bySni['cache.example.org'])).toBe('outbound|9080||details.default.svc.cluster.local');
  });

  it('serves an HTTP and an HTTPS server for "*" on one port, telling them apart by transport protocol', () => {
    const { lds, routeNames, problems } = gatewayConfig(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 8080, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, ${CERT}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["*"]
  gateways: [gw]
  http:
  - route: [{destination: {host: productpage, port: {number: 9080}}}]
`);
    const l = listener(lds, 8080);
    expect(duplicateMatches(l)).toEqual([]);
    expect(l.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    const [tls, plain] = l.filterChains ?? [];
    expect(tls.filterChainMatch).toEqual({ transportProtocol: 'tls' });
    expect(tls.transportSocket).toBeDefined();
    expect(JSON.stringify(tls.filters)).toContain('https.8080.1.gw.default');
    expect(plain.filterChainMatch).toBeUndefined();
    expect(plain.transportSocket).toBeUndefined();
    expect(JSON.stringify(plain.filters)).toContain('"http.8080"');
    expect(routeNames).toEqual(['http.8080', 'https.8080.1.gw.default']);
    expect(problems).toEqual([]);
  });

  it('keeps server names on TLS chains next to a plaintext chain, and matches every name for a "*" host', () => {
    const { lds } = gatewayConfig(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 9443, name: https-named, protocol: HTTPS}
    hosts: ["a.example.com"]
    tls: {mode: SIMPLE, ${CERT}}
  - port: {number: 9443, name: https-any, protocol: HTTPS}
    hosts: ["b.example.com", "*"]
    tls: {mode: SIMPLE, serverCertificate: /certs/b.crt, privateKey: /certs/b.key}
  - port: {number: 9443, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
`);
    const l = listener(lds, 9443);
    expect(duplicateMatches(l)).toEqual([]);
    expect(l.filterChains?.map((c) => c.filterChainMatch)).toEqual([{ serverNames: ['a.example.com'], transportProtocol: 'tls' }, { transportProtocol: 'tls' }, undefined]);
  });

  it('leaves TLS-only and plaintext-only ports without a transport protocol match', () => {
    const { lds } = gatewayConfig(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https, protocol: HTTPS}
    hosts: ["a.example.com"]
    tls: {mode: SIMPLE, ${CERT}}
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
`);
    expect(listener(lds, 8443).filterChains?.map((c) => c.filterChainMatch)).toEqual([{ serverNames: ['a.example.com'] }]);
    expect(listener(lds, 8080).filterChains?.map((c) => c.filterChainMatch)).toEqual([undefined]);
    expect(listener(lds, 8080).listenerFilters).toBeUndefined();
  });
});
