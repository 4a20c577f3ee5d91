import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { selfSignedCert } from '../testing/certs';
import { type IssuedSvid, MeshCa, workloadSecrets } from '../testing/mesh-ca';
import * as m from '../testing/mtls-builders';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { type TcpServer, collect, connect, startTcpServer } from '../testing/sockets';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';
import { WORKLOAD_SECRET } from './secret-store';

const A = '127.0.7.1'; // productpage's sidecar (client side)
const B = '127.0.7.2'; // reviews' sidecar (server side)
const APP = '127.0.7.3';
const LEGACY = '127.0.7.4';
const EXTERNAL = '127.0.7.5';
const ECHO = '127.0.7.6';
const TD = 'spiffe://cluster.local/ns/default/sa';
const SNI = 'outbound_.9080_._.reviews.default.svc.cluster.local';
const PERMISSIVE = 15006;
const STRICT = 15007;
const STRICT_OTHER_NS = 15008;
const STRICT_TCP = 15009;
const STRICT_TCP_RBAC = 15010;

/** Istio's TCP authorization for `from: principals [cluster.local/ns/default/sa/productpage]`. */
const allowProductpage: xds.Filter = {
  name: 'envoy.filters.network.rbac',
  typedConfig: { '@type': TypeUrl.NetworkRBAC, statPrefix: 'tcp.', rules: { action: 'ALLOW', policies: { 'ns[default]-policy[tcp]-rule[0]': { permissions: [{ any: true }], principals: [{ authenticated: { principalName: { exact: `spiffe://cluster.local/ns/default/sa/productpage` } } }] } } } } as xds.Any,
};

const listenerStats = (rt: ProxyRuntime, port: number) => rt.stats.scope('listener', `${B}_${port}`);
const clusterStats = (rt: ProxyRuntime, name: string) => rt.stats.scope('cluster', name);

function withFilterFirst(l: xds.Listener, f: xds.Filter): xds.Listener {
  for (const c of l.filterChains ?? []) c.filters = [f, ...c.filters];
  return l;
}

/** One HTTPS request straight to B's inbound port, as a peer sidecar (or a stranger) would send it. */
function mtlsGet(port: number, client: IssuedSvid | undefined, ca: string, agent: https.Agent | false = false): Promise<{ status: number; body: string; serial: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: B, port, path: '/direct', agent, ca, cert: client?.chain, key: client?.key, servername: SNI, checkServerIdentity: () => undefined, headers: { host: 'reviews' } },
      (res) => {
        let body = '';
        const serial = (res.socket as tls.TLSSocket).getPeerCertificate().serialNumber?.toLowerCase() ?? '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, serial }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function run(cmd: string, args: string[], input = ''): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
    child.stdin?.end(input);
  });
}

describe('mesh mTLS between two sidecars (SDS default / ROOTCA, SPIFFE SANs)', () => {
  let ca: MeshCa;
  let productpage: IssuedSvid;
  let reviews: IssuedSvid;
  let client: ProxyRuntime;
  let server: ProxyRuntime;
  let app: TestUpstream;
  let legacy: TestUpstream;
  let echo: TcpServer;
  let external: https.Server;
  let externalSni: string | undefined;
  let dir: string;
  const serverLogs: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-mtls-'));
    ca = await MeshCa.create();
    productpage = await ca.issue(`${TD}/productpage`);
    reviews = await ca.issue(`${TD}/reviews`);
    app = await startUpstream('reviews-app', APP);
    legacy = await startUpstream('legacy', LEGACY);
    echo = await startTcpServer(ECHO);
    const ext = selfSignedCert(['api.example.com'], dir);
    external = https.createServer({ cert: ext.cert, key: ext.key }, (req, res) => {
      externalSni = (req.socket as tls.TLSSocket).servername || undefined;
      res.end('external');
    });
    await new Promise<void>((r) => external.listen(0, EXTERNAL, r));
    const externalPort = (external.address() as { port: number }).port;

    server = await startRuntime(
      {
        clusters: [b.staticCluster('inbound|9080||', [[APP, app.port]]), b.staticCluster('inbound|7000||', [[ECHO, echo.port]])],
        listeners: [
          m.inboundListener('permissive', B, PERMISSIVE, 'PERMISSIVE', 'inbound|9080||'),
          m.inboundListener('strict', B, STRICT, 'STRICT', 'inbound|9080||'),
          m.inboundListener('strict-other-ns', B, STRICT_OTHER_NS, 'STRICT', 'inbound|9080||', 'http', ['spiffe://cluster.local/ns/other/']),
          m.inboundListener('strict-tcp', B, STRICT_TCP, 'STRICT', 'inbound|7000||', 'tcp'),
          withFilterFirst(m.inboundListener('strict-tcp-rbac', B, STRICT_TCP_RBAC, 'STRICT', 'inbound|7000||', 'tcp'), allowProductpage),
        ],
      },
      { secrets: workloadSecrets(reviews), log: (l) => serverLogs.push(l) },
    );

    const mtls = (name: string, sans: string[], extra: Partial<xds.Cluster> = {}): xds.Cluster => b.staticCluster(name, [[B, STRICT]], { transportSocket: m.istioUpstreamTls(SNI, sans), ...extra });
    const h2Options = { typedExtensionProtocolOptions: { [FilterName.HttpProtocolOptions]: toAny(TypeUrl.HttpProtocolOptions, { explicitHttpConfig: { http2ProtocolOptions: {} } }) } };
    const routes = b.routeConfiguration('outbound', [
      b.vhost('reviews', ['reviews'], [b.routeTo('outbound|9080||reviews')]),
      b.vhost('wrong', ['wrong-san'], [b.routeTo('wrong-san')]),
      b.vhost('plain', ['plain'], [b.routeTo('plaintext-to-strict')]),
      b.vhost('h2', ['reviews-h2'], [b.routeTo('h2-mtls')]),
      b.vhost('external', ['api.example.com'], [b.routeTo('external-simple')]),
    ]);
    client = await startRuntime(
      {
        clusters: [
          { name: 'outbound|9080||reviews', type: 'STATIC', connectTimeout: { seconds: 1 }, loadAssignment: m.tlsModeAssignment('outbound|9080||reviews', [[B, STRICT, 'istio'], [LEGACY, legacy.port]]), transportSocketMatches: m.autoMtlsMatches(SNI, [`${TD}/reviews`]) },
          mtls('wrong-san', [`${TD}/ratings`]),
          b.staticCluster('plaintext-to-strict', [[B, STRICT]]),
          { ...mtls('h2-mtls', [`${TD}/reviews`]), transportSocket: m.istioUpstreamTls(SNI, [`${TD}/reviews`], ['istio-peer-exchange', 'istio', 'h2']), ...h2Options },
          mtls('tcp-mtls', [`${TD}/reviews`], { loadAssignment: b.assignment('tcp-mtls', [[B, STRICT_TCP]]) }),
          b.staticCluster('external-simple', [[EXTERNAL, externalPort]], { transportSocket: m.simpleUpstreamTls({ sni: 'api.example.com', caFile: ext.certFile, sans: [{ exact: 'api.example.com' }] }) }),
        ],
        listeners: [b.listener('outbound_http', A, 15001, { inline: routes }), p.tcpListener('outbound_tcp_7000', A, 7000, 'tcp-mtls')],
      },
      { secrets: workloadSecrets(productpage) },
    );
  });

  afterAll(async () => {
    await client.close();
    await server.close();
    await app.close();
    await legacy.close();
    await echo.close();
    external.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const viaClient = (host: string, path = '/') => request({ host: A, port: 15001 }, { path, headers: { host } });

  it('transportSocketMatches: tlsMode=istio endpoints get mTLS (the STRICT peer accepts it), other endpoints plaintext', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => viaClient('reviews', `/r${i}`)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((r) => r.body).sort()).toEqual(['legacy', 'legacy', 'reviews-app', 'reviews-app']);
    expect(clusterStats(client, 'outbound|9080||reviews').counter('ssl.handshake').value).toBeGreaterThanOrEqual(1);
    expect(listenerStats(server, STRICT).counter('ssl.handshake').value).toBeGreaterThanOrEqual(1);
    // The legacy endpoint is a plaintext HTTP server: TLS to it would have failed.
    expect(legacy.requests.map((r) => r.url).sort()).toHaveLength(2);
  });

  it('refuses a peer whose SPIFFE ID is not the expected SAN (ssl.fail_verify_san, 503 UF)', async () => {
    const before = app.requests.length;
    const res = await viaClient('wrong-san');
    expect(res.status).toBe(503);
    expect(clusterStats(client, 'wrong-san').counter('ssl.fail_verify_san').value).toBe(1);
    expect(app.requests.length).toBe(before);
  });

  it('STRICT refuses plaintext; PERMISSIVE serves plaintext and mTLS on one port', async () => {
    expect((await viaClient('plain')).status).toBe(503);
    await expect(request({ host: B, port: STRICT }, { headers: { host: 'reviews' } })).rejects.toThrow();
    expect(listenerStats(server, STRICT).counter('no_filter_chain_match').value).toBeGreaterThanOrEqual(2);
    const plain = await request({ host: B, port: PERMISSIVE }, { path: '/plain', headers: { host: 'reviews' } });
    expect([plain.status, plain.body]).toEqual([200, 'reviews-app']);
    const secured = await mtlsGet(PERMISSIVE, productpage, ca.root.certPem);
    expect([secured.status, secured.body]).toEqual([200, 'reviews-app']);
    expect(listenerStats(server, PERMISSIVE).counter('ssl.handshake').value).toBe(1);
  });

  it('mTLS termination refuses a missing client certificate, one from another CA, and a SAN outside the allowed prefix', async () => {
    await expect(mtlsGet(STRICT, undefined, ca.root.certPem)).rejects.toThrow();
    expect(listenerStats(server, STRICT).counter('ssl.no_certificate').value).toBe(1);
    const foreign = await (await MeshCa.create('evil.local')).issue(`${TD}/productpage`);
    await expect(mtlsGet(STRICT, foreign, ca.root.certPem)).rejects.toThrow();
    expect(listenerStats(server, STRICT).counter('ssl.fail_verify_error').value).toBe(1);
    await expect(mtlsGet(STRICT_OTHER_NS, productpage, ca.root.certPem)).rejects.toThrow();
    expect(listenerStats(server, STRICT_OTHER_NS).counter('ssl.fail_verify_san').value).toBe(1);
    const allowed = await ca.issue('spiffe://cluster.local/ns/other/sa/batch');
    expect((await mtlsGet(STRICT_OTHER_NS, allowed, ca.root.certPem)).status).toBe(200);
  });

  it('HTTP/2 over mTLS when the cluster speaks h2 (ALPN h2 negotiated with the peer sidecar)', async () => {
    const res = await viaClient('reviews-h2', '/h2');
    expect([res.status, res.body]).toEqual([200, 'reviews-app']);
    expect(clusterStats(client, 'h2-mtls').counter('upstream_cx_http2_total').value).toBe(1);
    expect(clusterStats(client, 'h2-mtls').counter('ssl.handshake').value).toBe(1);
  });

  it('TCP proxy over mTLS to a STRICT TCP inbound', async () => {
    const s = await connect(A, 7000);
    const got = collect(s);
    s.end('ping');
    expect((await got).data).toBe('pingbye');
    expect(listenerStats(server, STRICT_TCP).counter('ssl.handshake').value).toBe(1);
  });

  it('network RBAC on an mTLS chain sees the verified peer principal: productpage passes, another identity is closed', async () => {
    const talk = (svid: IssuedSvid) =>
      new Promise<string>((resolve) => {
        const s = tls.connect({ host: B, port: STRICT_TCP_RBAC, cert: svid.chain, key: svid.key, ca: ca.root.certPem, checkServerIdentity: () => undefined }, () => s.end('ping'));
        let data = '';
        s.on('data', (d: Buffer) => (data += d.toString()));
        s.on('error', () => undefined);
        s.on('close', () => resolve(data));
      });
    expect(await talk(productpage)).toBe('pingbye');
    expect(await talk(await ca.issue(`${TD}/ratings`))).toBe('');
    expect(server.stats.counter('tcp.rbac.allowed').value).toBe(1);
    expect(server.stats.counter('tcp.rbac.denied').value).toBe(1);
  });

  it('DestinationRule SIMPLE to an external TLS server: SNI sent, chain and DNS SAN verified', async () => {
    const res = await viaClient('api.example.com');
    expect([res.status, res.body]).toEqual([200, 'external']);
    expect(externalSni).toBe('api.example.com');
  });

  it('openssl s_client sees the inbound listener present the workload SPIFFE certificate, verified against the mesh root', async () => {
    const f = (name: string, content: string) => {
      fs.writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    const r = await run('openssl', ['s_client', '-connect', `${B}:${STRICT}`, '-servername', SNI, '-cert', f('pp.crt', productpage.chain), '-key', f('pp.key', productpage.key), '-CAfile', f('root.crt', ca.root.certPem), '-verify_return_error', '-showcerts'], 'Q\n');
    expect(r.out).toContain('Verify return code: 0 (ok)');
    const leaf = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(r.out)?.[0] ?? '';
    expect(new X509Certificate(leaf).subjectAltName).toBe(`URI:${TD}/reviews`);
  });

  it('a rotated certificate is used by new handshakes while open connections carry on', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await mtlsGet(STRICT, productpage, ca.root.certPem, agent);
    expect(first.serial).toBe(reviews.serial.toLowerCase());
    const rotated = await ca.issue(`${TD}/reviews`);
    server.secrets.setCertificate(WORKLOAD_SECRET, rotated.chain, rotated.key);
    const fresh = await mtlsGet(STRICT, productpage, ca.root.certPem);
    expect(fresh.serial).toBe(rotated.serial.toLowerCase());
    const again = await mtlsGet(STRICT, productpage, ca.root.certPem, agent);
    expect([again.status, again.serial]).toEqual([200, reviews.serial.toLowerCase()]);
    agent.destroy();
  });

  it('keeps plain HTTP clients working: the plaintext chain never asks for a certificate', async () => {
    const res = await new Promise<number>((resolve, reject) =>
      http
        .get({ host: B, port: PERMISSIVE, path: '/', headers: { host: 'x' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
        .on('error', reject),
    );
    expect(res).toBe(200);
  });
});
