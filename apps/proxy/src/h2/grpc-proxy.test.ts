import * as grpc from '@grpc/grpc-js';
import type * as xds from '@mizzen/xds-types';
import { TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type EchoClient, type Msg, echoClient, startEchoServer, unary } from '../testing/grpc-echo';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.160';
const PORT = 15001;
const faultFilter: xds.HttpFilter = { name: 'envoy.filters.http.fault', typedConfig: toAny(TypeUrl.HTTPFault, {}) };

/** The sidecar's outbound HTTP listener as Pilot sends it, with the fault filter in the chain. */
function outboundListener(): xds.Listener {
  const l = p.withIstioHcm(b.listener('outbound_http_proxy', IP, PORT, { rds: 'r' }));
  const hcm = l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager;
  hcm.httpFilters = [faultFilter, b.router];
  return l;
}

const abort = (grpcStatus: number): xds.Route['typedPerFilterConfig'] => ({ 'envoy.filters.http.fault': toAny(TypeUrl.HTTPFault, { abort: { grpcStatus, percentage: { numerator: 100, denominator: 'HUNDRED' } } }) });

describe('gRPC through the proxy: HTTP/2 end to end (grpc-js client and server)', () => {
  let rt: ProxyRuntime;
  let server: { port: number; close(): void };
  let client: EchoClient;
  const clients: EchoClient[] = [];
  const connect = (authority: string): EchoClient => {
    const c = echoClient(`${IP}:${PORT}`, authority);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startEchoServer('127.0.0.161');
    const ep: Array<[string, number]> = [['127.0.0.161', server.port]];
    rt = await startRuntime({
      clusters: [p.h2Cluster('outbound|50051||echo', ep), p.h2Cluster('outbound|50051||echo-legacy', ep, 'deprecated'),
        p.h2Cluster('outbound|50051||tiny', ep, 'typed', { circuitBreakers: { thresholds: [{ maxRequests: { value: 1 } }] } }), b.edsCluster('outbound|50051||empty')],
      endpoints: [b.assignment('outbound|50051||empty', [])],
      listeners: [outboundListener()],
      routes: [
        b.routeConfiguration('r', [
          b.vhost('echo', ['echo:50051'], [
            { match: { prefix: '/', headers: [{ name: 'x-fault', stringMatch: { exact: 'abort' } }] }, route: { cluster: 'outbound|50051||echo' }, typedPerFilterConfig: abort(7) },
            b.routeTo('outbound|50051||echo', { prefix: '/', headers: [{ name: 'x-timeout', presentMatch: true }] }, { timeout: { seconds: 0, nanos: 300_000_000 } }),
            b.routeTo('outbound|50051||echo', { prefix: '/', grpc: {} }, { timeout: { seconds: 0 } }),
          ]),
          b.vhost('legacy', ['legacy:50051'], [b.routeTo('outbound|50051||echo-legacy')]),
          b.vhost('empty', ['empty:50051'], [b.routeTo('outbound|50051||empty')]),
          b.vhost('gone', ['gone:50051'], [b.routeTo('outbound|50051||gone')]),
          b.vhost('tiny', ['tiny:50051'], [b.routeTo('outbound|50051||tiny', { prefix: '/' }, { timeout: { seconds: 0 } })]),
        ]),
      ],
    });
    client = connect('echo:50051');
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await rt.close();
    server.close();
  });

  it('unary: the reply and the trailing metadata pass through, over HTTP/2 upstream', async () => {
    const r = await unary(client, 'hi');
    expect(r.err).toBeUndefined();
    expect(r.res).toEqual({ text: 'hi via http' });
    expect(r.trailers?.get('x-trailer')).toEqual(['done']);
    expect(rt.stats.scope('cluster', 'outbound|50051||echo').counter('upstream_cx_http2_total').value).toBe(1);
  });

  it('multiplexes concurrent calls on one upstream HTTP/2 connection', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => unary(client, `m${i}`)));
    expect(all.map((r) => r.res?.text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i} via http`));
    expect(rt.stats.scope('cluster', 'outbound|50051||echo').counter('upstream_cx_total').value).toBe(1);
  });

  it('server streaming', async () => {
    const got: string[] = [];
    const call = client.ServerStream({ text: 's' });
    await new Promise<void>((resolve, reject) => {
      call.on('data', (m: Msg) => got.push(m.text));
      call.on('end', () => resolve());
      call.on('error', reject);
    });
    expect(got).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4']);
  });

  it('client streaming', async () => {
    const res = await new Promise<Msg | undefined>((resolve, reject) => {
      const call = client.ClientStream((err, r) => (err ? reject(err) : resolve(r)));
      for (const t of ['a', 'b', 'c']) call.write({ text: t });
      call.end();
    });
    expect(res).toEqual({ text: 'a+b+c' });
  });

  it('bidirectional streaming, message by message (each reply before the next request)', async () => {
    const call = client.Bidi();
    const next = (): Promise<Msg> => new Promise((resolve) => call.once('data', resolve));
    const replies: string[] = [];
    for (const t of ['one', 'two', 'three']) {
      const reply = next();
      call.write({ text: t });
      replies.push((await reply).text);
    }
    call.end();
    await new Promise((r) => call.on('end', r));
    expect(replies).toEqual(['echo:one', 'echo:two', 'echo:three']);
  });

  it("passes the upstream's error status through", async () => {
    const r = await unary(client, 'fail');
    expect(r.err).toMatchObject({ code: grpc.status.NOT_FOUND, details: 'nope' });
  });

  it('speaks HTTP/2 to clusters with the deprecated Cluster.http2_protocol_options too', async () => {
    expect((await unary(connect('legacy:50051'), 'old')).res).toEqual({ text: 'old via http' });
  });

  it('answers UNAVAILABLE "no healthy upstream" itself when the cluster has no endpoints', async () => {
    const r = await unary(connect('empty:50051'), 'x');
    expect(r.err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'no healthy upstream' });
  });

  it('answers UNAVAILABLE for an unknown cluster (503 NC, no message: the local reply has no body)', async () => {
    const r = await unary(connect('gone:50051'), 'x');
    expect(r.err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: '' });
  });

  it('answers UNAVAILABLE when the circuit breaker overflows (max_requests 1, flag UO)', async () => {
    const c = connect('tiny:50051');
    const slow = unary(c, 'slow');
    await new Promise((r) => setTimeout(r, 100));
    const r = await unary(c, 'x');
    expect(r.err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'upstream connect error or disconnect/reset before headers. reset reason: overflow' });
    expect((await slow).res).toEqual({ text: 'slow via http' });
  });

  it('answers a fault abort with its configured gRPC status', async () => {
    const md = new grpc.Metadata();
    md.set('x-fault', 'abort');
    const r = await unary(client, 'x', md);
    expect(r.err).toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: 'fault filter abort' });
  });

  it('answers a route timeout with UNAVAILABLE (504 mapped), the upstream call cancelled', async () => {
    const md = new grpc.Metadata();
    md.set('x-timeout', '1');
    const t0 = Date.now();
    const r = await unary(client, 'slow', md);
    expect(r.err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'upstream request timeout' });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('answers UNIMPLEMENTED for a host with no route', async () => {
    const r = await unary(connect('nowhere:50051'), 'x');
    expect(r.err?.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});
