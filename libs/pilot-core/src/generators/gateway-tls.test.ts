import { TypeUrl, type Listener, type RouteConfiguration } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, GATEWAY_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const YAML = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https, protocol: HTTPS}
    hosts: ["bookinfo.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /certs/tls.crt, privateKey: /certs/tls.key}
  - port: {number: 9443, name: tls, protocol: TLS}
    hosts: ["*.example.org"]
    tls: {mode: PASSTHROUGH}
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["bookinfo.example.com"]
    tls: {httpsRedirect: true}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["bookinfo.example.com"]
  gateways: [gw]
  http:
  - route: [{destination: {host: productpage, port: {number: 9080}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: passthrough}
spec:
  hosts: ["db.example.org"]
  gateways: [gw]
  tls:
  - match: [{port: 9443, sniHosts: ["db.example.org"]}]
    route: [{destination: {host: ratings, port: {number: 9080}}}]
`;

describe('gateway TLS servers', () => {
  const snapshot = bookinfoSnapshot(YAML);
  const lds = generate({ snapshot, proxy: GATEWAY_PROXY }, TypeUrl.Listener);
  const byName = (n: string) => lds.find((l) => l.name === n)?.body as Listener;

  it('terminates HTTPS with the certificate files and routes through its own route config', () => {
    const l = byName('0.0.0.0_8443');
    const chain = l.filterChains?.[0];
    expect(chain?.filterChainMatch?.serverNames).toEqual(['bookinfo.example.com']);
    expect(JSON.stringify(chain?.transportSocket)).toContain('/certs/tls.crt');
    const rdsName = 'https.8443.0.gw.default';
    expect(JSON.stringify(chain?.filters)).toContain(rdsName);
    const rc = generate({ snapshot, proxy: GATEWAY_PROXY, names: [rdsName] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    expect(rc.virtualHosts?.[0].domains).toEqual(['bookinfo.example.com', 'bookinfo.example.com:8443']);
  });

  it('passes TLS through by SNI without terminating it', () => {
    const l = byName('0.0.0.0_9443');
    expect(l.listenerFilters?.[0].name).toBe('envoy.filters.listener.tls_inspector');
    expect(l.filterChains?.[0].filterChainMatch?.serverNames).toEqual(['db.example.org']);
    expect(l.filterChains?.[0].transportSocket).toBeUndefined();
    expect(l.filterChains?.[0].filters?.[0].typedConfig).toMatchObject({ '@type': TypeUrl.TcpProxy, cluster: 'outbound|9080||ratings.default.svc.cluster.local' });
  });

  it('redirects plain HTTP to HTTPS when httpsRedirect is set', () => {
    const rc = generate({ snapshot, proxy: GATEWAY_PROXY, names: ['http.8080'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
    expect(rc.virtualHosts?.[0].requireTls).toBe('ALL');
  });
});
