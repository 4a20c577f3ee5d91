import https from 'node:https';
import type * as xds from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type TestCert, selfSignedCert } from '../testing/certs';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.190';
const HTTP_PORT = 18080;
const HTTPS_PORT = 18443;
const MTLS_PORT = 18444;

function httpsGet(port: number, path: string, ca: string, client?: TestCert): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const opts: https.RequestOptions = { host: IP, port, path, servername: 'bookinfo.example.com', ca, headers: { host: 'bookinfo.example.com' }, agent: false };
    if (client) Object.assign(opts, { cert: client.cert, key: client.key });
    https
      .get(opts, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** The gateway's route configs as Pilot generates them for an HTTPS server with httpsRedirect on port 80. */
function gatewayRoutes(): xds.RouteConfiguration[] {
  const vh = (name: string, requireTls?: xds.VirtualHost['requireTls']): xds.VirtualHost => ({ ...b.vhost(name, ['bookinfo.example.com', 'bookinfo.example.com:*'], [b.routeTo('productpage')]), requireTls });
  return [{ ...b.routeConfiguration('http.18080', [vh('bookinfo-http', 'ALL')]), ignorePortInHostMatching: true }, { ...b.routeConfiguration('https.18443', [vh('bookinfo-https')]), ignorePortInHostMatching: true }];
}

describe('gateway HTTPS: SIMPLE TLS from certificate files, httpsRedirect, client certificates', () => {
  let rt: ProxyRuntime;
  let app: TestUpstream;
  let server: TestCert;
  let client: TestCert;

  beforeAll(async () => {
    app = await startUpstream('productpage', '127.0.0.191', (req, res) => res.end(`productpage ${req.url} ${req.headers['x-forwarded-proto']}`));
    server = selfSignedCert(['bookinfo.example.com']);
    client = selfSignedCert(['client.example.com']);
    const mtls = p.httpsListener('0.0.0.0_18444', IP, MTLS_PORT, 'https.18443', server.certFile, server.keyFile);
    mtls.filterChains![0].transportSocket = p.downstreamTls(server.certFile, server.keyFile, ['http/1.1'], { requireClientCertificate: { value: true } });
    const ctx = mtls.filterChains![0].transportSocket.typedConfig as xds.Any & xds.DownstreamTlsContext;
    ctx.commonTlsContext!.validationContext = { trustedCa: { filename: client.certFile } };
    rt = await startRuntime({
      clusters: [b.staticCluster('productpage', [[app.host, app.port]])],
      listeners: [
        p.withIstioHcm(b.listener('0.0.0.0_18080', IP, HTTP_PORT, { rds: 'http.18080' })),
        p.withIstioHcm(p.httpsListener('0.0.0.0_18443', IP, HTTPS_PORT, 'https.18443', server.certFile, server.keyFile, ['bookinfo.example.com'])),
        p.withIstioHcm(mtls),
      ],
      routes: gatewayRoutes(),
    });
  });

  afterAll(async () => {
    await rt.close();
    await app.close();
  });

  it('redirects plaintext requests to https (require_tls ALL: 301, host and path kept)', async () => {
    const res = await request({ host: IP, port: HTTP_PORT }, { path: '/productpage?u=1', headers: { host: 'bookinfo.example.com' } });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://bookinfo.example.com/productpage?u=1');
  });

  it('terminates TLS and routes HTTPS to the plaintext upstream', async () => {
    expect(await httpsGet(HTTPS_PORT, '/productpage', server.cert)).toEqual({ status: 200, body: 'productpage /productpage https' });
  });

  it('requires a client certificate signed by the trusted CA when asked to', async () => {
    expect(await httpsGet(MTLS_PORT, '/p', server.cert, client)).toEqual({ status: 200, body: 'productpage /p https' });
    await expect(httpsGet(MTLS_PORT, '/p', server.cert)).rejects.toThrow();
    const stranger = selfSignedCert(['stranger.example.com']);
    await expect(httpsGet(MTLS_PORT, '/p', server.cert, stranger)).rejects.toThrow();
    const ssl = rt.stats.scope('listener', `${IP}_${MTLS_PORT}`);
    expect(ssl.counter('ssl.no_certificate').value).toBe(1);
    expect(ssl.counter('ssl.fail_verify_error').value).toBe(1);
  });
});
