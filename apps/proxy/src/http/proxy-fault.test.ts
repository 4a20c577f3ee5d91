import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.65';
const PORT = 15001;
const proxy = { host: IP, port: PORT };
const FAULT = 'envoy.filters.http.fault';

const withFault = (route: xds.Route, fault: xds.HTTPFault): xds.Route => ({ ...route, typedPerFilterConfig: { [FAULT]: { '@type': TypeUrl.HTTPFault, ...fault } } });
const all: xds.FractionalPercent = { numerator: 1_000_000, denominator: 'MILLION' };

describe('fault injection (HTTPFault per route, as Pilot generates for VirtualService fault)', () => {
  let rt: ProxyRuntime;
  let upstream: TestUpstream;
  const log: string[] = [];

  beforeAll(async () => {
    upstream = await startUpstream('ratings', '127.0.0.66');
    const listener = b.listener('outbound_http_proxy', IP, PORT, { rds: 'r' });
    const hcm = listener.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager;
    hcm.httpFilters = [{ name: FAULT, typedConfig: { '@type': TypeUrl.HTTPFault } }, b.router];
    rt = await startRuntime(
      {
        clusters: [b.staticCluster('ratings', [[upstream.host, upstream.port]])],
        listeners: [listener],
        routes: [
          b.routeConfiguration('r', [
            b.vhost('ratings', ['ratings:9080'], [
              withFault(b.routeTo('ratings', { prefix: '/abort', headers: [{ name: 'end-user', stringMatch: { exact: 'jason' } }] }), { abort: { httpStatus: 500, percentage: all } }),
              withFault(b.routeTo('ratings', { prefix: '/delay' }), { delay: { fixedDelay: { seconds: 0, nanos: 300_000_000 }, percentage: all } }),
              withFault(b.routeTo('ratings', { prefix: '/never' }), { abort: { httpStatus: 500, percentage: { numerator: 0 } } }),
              withFault(b.routeTo('ratings', { prefix: '/grpc' }), { abort: { grpcStatus: 14, percentage: all } }),
              withFault(b.routeTo('ratings', { prefix: '/other-cluster' }), { abort: { httpStatus: 500, percentage: all }, upstreamCluster: 'reviews' }),
              b.routeTo('ratings'),
            ]),
          ]),
        ],
      },
      { accessLog: (l) => log.push(l) },
    );
  });

  afterAll(async () => {
    await rt.close();
    await upstream.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => request(proxy, { path, headers: { host: 'ratings:9080', ...headers } });

  it('aborts with the configured status and flag FI, without calling upstream', async () => {
    const before = upstream.requests.length;
    const res = await get('/abort', { 'end-user': 'jason' });
    expect(res).toMatchObject({ status: 500, body: 'fault filter abort' });
    expect(log.at(-1)).toContain('" 500 FI ');
    expect(upstream.requests.length).toBe(before);
    expect(rt.stats.scope('http', 'outbound_http_proxy').counter('fault.aborts_injected').value).toBe(1);
  });

  it('only faults requests the route matches (other users reach the upstream)', async () => {
    expect((await get('/abort', { 'end-user': 'kim' })).status).toBe(200);
  });

  it('delays requests (flag DI) and then forwards them', async () => {
    const t0 = Date.now();
    const res = await get('/delay');
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(log.at(-1)).toContain('" 200 DI ');
  });

  it('never faults at 0 %', async () => {
    expect((await get('/never')).status).toBe(200);
  });

  it('aborts gRPC requests with the configured grpc-status, trailers-only (HTTP 200)', async () => {
    const res = await get('/grpc', { 'content-type': 'application/grpc' });
    expect(res.status).toBe(200);
    expect(res.headers['grpc-status']).toBe('14');
    expect(res.headers['grpc-message']).toBe('fault filter abort');
    expect(res.body).toBe('');
  });

  it('a gRPC-status abort answers a non-gRPC request with HTTP 200 (Envoy: the gRPC status only applies to gRPC)', async () => {
    const res = await get('/grpc');
    expect(res).toMatchObject({ status: 200, body: 'fault filter abort' });
    expect(res.headers['grpc-status']).toBeUndefined();
  });

  it('skips faults scoped to another upstream cluster', async () => {
    expect((await get('/other-cluster')).status).toBe(200);
  });
});
