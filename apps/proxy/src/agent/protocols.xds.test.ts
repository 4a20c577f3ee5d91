import type * as xds from '@mizzen/xds-types';
import { TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../testing/certs';
import { FakeControlPlane } from '../testing/fake-control-plane';
import { echoClient, startEchoServer, unary } from '../testing/grpc-echo';
import * as p from '../testing/protocol-builders';
import { type TcpServer, collect, connect, startTcpServer } from '../testing/sockets';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';
import { Agent } from './agent';
import { parseAgentOptions } from './options';

const IP = '127.0.0.110';

/** The HCM Pilot sends on every sidecar listener: codec AUTO, websocket upgrades, fault, CORS, router. */
function pilotHcmListener(name: string, port: number, rds: string): xds.Listener {
  const l = p.withIstioHcm(b.listener(name, IP, port, { rds }));
  const hcm = l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager;
  hcm.httpFilters = [
    { name: 'envoy.filters.http.fault', typedConfig: toAny(TypeUrl.HTTPFault, {}) },
    { name: 'envoy.filters.http.cors', typedConfig: toAny(TypeUrl.Cors, {}) },
    b.router,
  ];
  return l;
}

describe('protocol config over ADS (Pilot shapes): ACKed and serving', () => {
  const cp = new FakeControlPlane();
  let agent: Agent;
  let echo: TcpServer;
  let grpcServer: { port: number; close(): void };
  const logs: string[] = [];

  beforeAll(async () => {
    await cp.start();
    echo = await startTcpServer('127.0.0.111');
    grpcServer = await startEchoServer('127.0.0.112');
    const cert = selfSignedCert(['api.example.com']);
    const grpcCluster = 'outbound|50051||echo.default.svc.cluster.local';
    const tcpCluster = 'outbound|27017||mongo.default.svc.cluster.local';
    cp.serveResources([
      ...b.asClusters([p.h2Cluster(grpcCluster, [], 'typed', { type: 'EDS', loadAssignment: undefined, edsClusterConfig: { edsConfig: { ads: {} }, serviceName: grpcCluster } }), b.staticCluster(tcpCluster, [[echo.host, echo.port]])]),
      ...b.asEndpoints([b.assignment(grpcCluster, [['127.0.0.112', grpcServer.port]])]),
      ...b.asListeners([
        pilotHcmListener('outbound_http_proxy', 15001, 'http_proxy'),
        p.tcpListener('outbound_tcp_27017', IP, 27017, tcpCluster),
        p.sniListener('outbound_tls_8443', IP, 8443, [[['api.example.com'], tcpCluster]]),
        p.withIstioHcm(p.httpsListener('0.0.0.0_18443', IP, 18443, 'http_proxy', cert.certFile, cert.keyFile, ['api.example.com'])),
      ]),
      ...b.asRoutes([b.routeConfiguration('http_proxy', [b.vhost('echo.default.svc.cluster.local:50051', ['echo:50051'], [b.routeTo(grpcCluster, { prefix: '/' }, { timeout: { seconds: 0 } })])])]),
    ]);
    const opts = parseAgentOptions({ ip: IP, pilot: cp.address, adminPort: '0', accessLog: 'off', workload: 'app-v1' });
    if (!opts.ok) throw new Error(JSON.stringify(opts.errors));
    agent = new Agent(opts.value, { log: (m) => logs.push(m) });
    await agent.start();
    await waitUntil(() => agent.ready, 8_000);
    await cp.nextRequest((r) => r.typeUrl === TypeUrl.RouteConfiguration && r.versionInfo === 'v1', 5000, true);
  });

  afterAll(async () => {
    await agent.stop();
    await cp.stop();
    await echo.close();
    grpcServer.close();
  });

  it('ACKs every type (no error_detail) and logs no rejection', () => {
    const summary = (type: string) => {
      const reqs = cp.requests.filter((r) => r.typeUrl === type);
      return { acked: reqs.some((r) => r.versionInfo === 'v1'), nacks: reqs.flatMap((r) => (r.errorDetail ? [r.errorDetail.message] : [])) };
    };
    for (const type of [TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.Listener, TypeUrl.RouteConfiguration]) expect([type, summary(type)]).toEqual([type, { acked: true, nacks: [] }]);
    expect(logs.filter((l) => l.includes('rejected'))).toEqual([]);
  });

  it('proxies TCP on outbound_tcp_<port>', async () => {
    const s = await connect(IP, 27017);
    const got = collect(s);
    s.end('ping');
    expect((await got).data).toBe('pingbye');
  });

  it('proxies gRPC over HTTP/2 to the EDS cluster', async () => {
    const c = echoClient(`${IP}:15001`, 'echo:50051');
    expect((await unary(c, 'hello')).res).toEqual({ text: 'hello via http' });
    c.close();
  });
});
