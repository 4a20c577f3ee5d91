import type http from 'node:http';
import https from 'node:https';
import type * as xds from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type TestCert, selfSignedCert } from '../testing/certs';
import { h2Connect, h2Request } from '../testing/h2';
import * as p from '../testing/protocol-builders';
import { applyConfig, startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.150';
const H2C = { host: IP, port: 15001 };
const TLS_PORT = 15443;
const FORCED_H2 = 15002;
const TLS_NO_INSPECTOR = 15444;

/** codec_type HTTP2: every connection is HTTP/2, no sniffing. */
function forcedHttp2(l: xds.Listener): xds.Listener {
  const http2ProtocolOptions = { maxConcurrentStreams: { value: 7 }, initialStreamWindowSize: { value: 1 << 20 }, initialConnectionWindowSize: { value: 2 << 20 } };
  Object.assign(l.filterChains![0].filters[0].typedConfig!, { codecType: 'HTTP2', http2ProtocolOptions });
  return l;
}

/** Echoes method, path, host, x-forwarded-proto and the request body. */
function echoRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => res.end(`${req.method} ${req.url} ${req.headers.host} ${req.headers['x-forwarded-proto']} ${Buffer.concat(chunks).toString()}`));
}

describe('HTTP/2 downstream: h2c prior knowledge and HTTP/1.1 on one port, TLS with ALPN', () => {
  let rt: ProxyRuntime;
  let app: TestUpstream;
  let cert: TestCert;
  const log: string[] = [];

  beforeAll(async () => {
    app = await startUpstream('app', '127.0.0.151', echoRequest);
    cert = selfSignedCert(['bookinfo.example.com']);
    const routes = b.routeConfiguration('r', [b.vhost('all', ['svc', 'reviews:9080', 'bookinfo.example.com'], [b.routeTo('app', { prefix: '/' }), b.routeTo('missing', { prefix: '/missing' })].reverse())]);
    rt = await startRuntime(
      {
        clusters: [b.staticCluster('app', [[app.host, app.port]])],
        listeners: [
          p.withIstioHcm(b.listener('plain', IP, H2C.port, { rds: 'r' })),
          p.withIstioHcm(p.httpsListener('0.0.0.0_15443', IP, TLS_PORT, 'r', cert.certFile, cert.keyFile, ['bookinfo.example.com'])),
          forcedHttp2(b.listener('forced', IP, FORCED_H2, { rds: 'r' })),
          { ...p.withIstioHcm(p.httpsListener('no-inspector', IP, TLS_NO_INSPECTOR, 'r', cert.certFile, cert.keyFile)), listenerFilters: [] },
        ],
        routes: [routes],
      },
      { accessLog: (l) => log.push(l) },
    );
  });

  afterAll(async () => {
    await rt.close();
    await app.close();
  });

  it('serves h2c (prior knowledge) and forwards to an HTTP/1.1 upstream', async () => {
    const s = await h2Connect(`http://${IP}:${H2C.port}`);
    const res = await h2Request(s, { ':path': '/a?x=1', ':authority': 'reviews:9080' });
    expect(res.headers[':status']).toBe(200);
    expect(res.body).toBe('GET /a?x=1 reviews:9080 http ');
    s.close();
    await waitUntil(() => log.some((l) => l.includes('"GET /a?x=1 HTTP/2" 200')));
  });

  it('multiplexes concurrent streams on one session, request bodies included', async () => {
    const s = await h2Connect(`http://${IP}:${H2C.port}`);
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => h2Request(s, { ':method': 'POST', ':path': `/p${i}`, ':authority': 'svc' }, `body${i}`)));
    expect(all.map((r) => r.body)).toEqual(Array.from({ length: 20 }, (_, i) => `POST /p${i} svc http body${i}`));
    expect(rt.stats.scope('listener', `${IP}_${H2C.port}`).counter('downstream_cx_total').value).toBeLessThanOrEqual(3);
    s.close();
  });

  it('still serves HTTP/1.1 on the same port (codec AUTO)', async () => {
    const res = await request(H2C, { path: '/h1', headers: { host: 'svc' } });
    expect(res).toMatchObject({ status: 200, body: 'GET /h1 svc http ' });
  });

  it('answers gRPC requests itself with trailers-only gRPC statuses (HTTP 200; 503 NC -> UNAVAILABLE, 404 NR -> UNIMPLEMENTED)', async () => {
    const s = await h2Connect(`http://${IP}:${H2C.port}`);
    const res = await h2Request(s, { ':method': 'POST', ':path': '/missing/Svc/Call', ':authority': 'svc', 'content-type': 'application/grpc', te: 'trailers' }, Buffer.alloc(5));
    expect(res.headersOnly).toBe(true);
    expect(res.headers).toMatchObject({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14' });
    // No route: HTTP 404 becomes UNIMPLEMENTED, without a message (the local reply has no body).
    const nr = await h2Request(s, { ':method': 'POST', ':path': '/x', ':authority': 'nowhere', 'content-type': 'application/grpc+proto' }, Buffer.alloc(5));
    expect(nr.headers).toMatchObject({ ':status': 200, 'grpc-status': '12' });
    expect(nr.headers['grpc-message']).toBeUndefined();
    s.close();
  });

  it('terminates TLS from certificate files and speaks h2 when ALPN says so', async () => {
    const s = await h2Connect(`https://${IP}:${TLS_PORT}`, { servername: 'bookinfo.example.com', ca: cert.cert });
    expect(s.alpnProtocol).toBe('h2');
    const res = await h2Request(s, { ':path': '/secure', ':authority': 'bookinfo.example.com' });
    expect(res.body).toBe('GET /secure bookinfo.example.com https ');
    s.close();
  });

  it('serves HTTPS/1.1 on the same chain (ALPN http/1.1)', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: IP, port: TLS_PORT, path: '/one', servername: 'bookinfo.example.com', ca: cert.cert, headers: { host: 'bookinfo.example.com' } }, (res) => {
          let data = '';
          res.on('data', (d: Buffer) => (data += d.toString()));
          res.on('end', () => resolve(data));
        })
        .on('error', reject);
    });
    expect(body).toBe('GET /one bookinfo.example.com https ');
    expect(rt.stats.scope('listener', `${IP}_${TLS_PORT}`).counter('ssl.handshake').value).toBeGreaterThanOrEqual(2);
  });

  it('codec HTTP2 serves h2c without sniffing (with http2_protocol_options) and refuses HTTP/1.1', async () => {
    const s = await h2Connect(`http://${IP}:${FORCED_H2}`);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.remoteSettings).toMatchObject({ maxConcurrentStreams: 7, initialWindowSize: 1 << 20 });
    expect(s.state.remoteWindowSize).toBe(2 << 20);
    expect((await h2Request(s, { ':path': '/f', ':authority': 'svc' })).body).toBe('GET /f svc http ');
    s.close();
    await expect(request({ host: IP, port: FORCED_H2 }, { path: '/', headers: { host: 'svc' } })).rejects.toThrow();
  });

  it('terminates TLS for h2 on a listener without tls_inspector (the socket read natively)', async () => {
    const s = await h2Connect(`https://${IP}:${TLS_NO_INSPECTOR}`, { servername: 'bookinfo.example.com', ca: cert.cert });
    expect((await h2Request(s, { ':path': '/n', ':authority': 'bookinfo.example.com' })).body).toBe('GET /n bookinfo.example.com https ');
    s.close();
  });

  it('serves an HTTP/1.1 request asking for the h2c upgrade as plain HTTP/1.1, as Envoy does', async () => {
    const res = await request(H2C, { path: '/up', headers: { host: 'svc', connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAMAAABkAAQAoAAAAAIAAAAA' } });
    expect(res).toMatchObject({ status: 200, body: 'GET /up svc http ' });
    expect(res.headers.connection).toBe('close');
  });

  it('a removed listener sends GOAWAY to its HTTP/2 clients', async () => {
    const s = await h2Connect(`http://${IP}:${H2C.port}`);
    await h2Request(s, { ':path': '/', ':authority': 'svc' });
    const goaway = new Promise<void>((resolve) => s.once('goaway', () => resolve()));
    await applyConfig(rt, { listeners: [p.withIstioHcm(p.httpsListener('0.0.0.0_15443', IP, TLS_PORT, 'r', cert.certFile, cert.keyFile, ['bookinfo.example.com']))] });
    await goaway;
    s.close();
  });
});
