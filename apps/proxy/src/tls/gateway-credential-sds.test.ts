import https from 'node:https';
import tls from 'node:tls';
import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyRuntime, xdsTypeHandlers } from '../runtime';
import { type TestCert, selfSignedCert } from '../testing/certs';
import * as p from '../testing/protocol-builders';
import { type TestUpstream, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';
import type { TypeHandler } from '../xds-client';

// The gateway side of Istio's "Secure Gateways" with credentialName: listeners name
// `kubernetes://<name>` secrets with `sds_config: {ads: {}}`; the proxy subscribes to them, warms
// the listener until they arrive, serves them, and rotates them for new handshakes only.
const IP = '127.77.13.10';
const SIMPLE_PORT = 19443;
const MUTUAL_PORT = 19444;
const HOST = 'httpbin.example.com';
const ads = (name: string): xds.SdsSecretConfig => ({ name, sdsConfig: { ads: {}, resourceApiVersion: 'V3' } });

function sdsListener(name: string, port: number, cred: string, mutual: boolean): xds.Listener {
  const l = p.withIstioHcm(p.httpsListener(name, IP, port, 'https', '', '', [HOST]));
  const ctx: xds.DownstreamTlsContext = {
    commonTlsContext: {
      tlsCertificateSdsSecretConfigs: [ads(`kubernetes://${cred}`)],
      ...(mutual ? { combinedValidationContext: { defaultValidationContext: {}, validationContextSdsSecretConfig: ads(`kubernetes://${cred}-cacert`) } } : {}),
      alpnProtocols: ['http/1.1'],
    },
    ...(mutual ? { requireClientCertificate: { value: true } } : {}),
  };
  l.filterChains![0].transportSocket = { name: FilterName.Tls, typedConfig: toAny(TypeUrl.DownstreamTlsContext, ctx) };
  return l;
}

const response = (typeUrl: string, version: string, bodies: unknown[]): DiscoveryResponseIn => ({ versionInfo: version, typeUrl, nonce: version, resources: bodies.map((body) => ({ typeUrl, body: body as Record<string, unknown> })) });
const b64 = (s: string) => ({ inlineBytes: Buffer.from(s).toString('base64') });
const certSecret = (name: string, c: TestCert) => ({ name, tlsCertificate: { certificateChain: b64(c.cert), privateKey: b64(c.key) } });
const caSecret = (name: string, pem: string) => ({ name, validationContext: { trustedCa: b64(pem) } });

/** One TLS connection with SNI `HOST`: the certificate the gateway presented, and a GET over it. */
function connect(port: number, ca: string, client?: TestCert): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: IP, port, servername: HOST, ca, ...(client ? { cert: client.cert, key: client.key } : {}), ALPNProtocols: ['http/1.1'] }, () => resolve(s));
    s.on('error', reject);
  });
}
function get(s: tls.TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request({ createConnection: () => s, host: IP, path: '/get', headers: { host: HOST, connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway credentials over SDS (ADS)', () => {
  let rt: ProxyRuntime;
  let app: TestUpstream;
  let handlers: Map<string, TypeHandler>;
  const subscribed = new Map<string, readonly string[]>();
  const logs: string[] = [];
  const certA = selfSignedCert([HOST]);
  const certB = selfSignedCert([HOST]);
  const client = selfSignedCert(['client.example.com']);
  const apply = (typeUrl: string, version: string, bodies: unknown[]) => handlers.get(typeUrl)!.apply(response(typeUrl, version, bodies), 'wildcard');

  beforeAll(async () => {
    app = await startUpstream('httpbin', '127.77.13.11', (_req, res) => res.end('httpbin'));
    rt = new ProxyRuntime({ log: (m) => logs.push(m), initialFetchTimeoutMs: 5000 });
    handlers = new Map(xdsTypeHandlers(rt, { setResourceNames: (t, names) => subscribed.set(t, names) }).map((h) => [h.typeUrl, h.handler]));
    expect(apply(TypeUrl.Cluster, 'c1', [b.staticCluster('httpbin', [[app.host, app.port]])])).toBeUndefined();
    expect(apply(TypeUrl.RouteConfiguration, 'r1', [b.routeConfiguration('https', [b.vhost('h', ['*'], [b.routeTo('httpbin')])])])).toBeUndefined();
  });

  afterAll(async () => {
    await rt.close();
    await app.close();
  });

  it('ACKs a listener whose secret has not arrived, subscribes to it, and warms until it does', async () => {
    expect(apply(TypeUrl.Listener, 'l1', [sdsListener('simple', SIMPLE_PORT, 'httpbin-credential', false), sdsListener('mutual', MUTUAL_PORT, 'mutual-credential', true)])).toBeUndefined();
    expect(subscribed.get(TypeUrl.Secret)).toEqual(['kubernetes://httpbin-credential', 'kubernetes://mutual-credential', 'kubernetes://mutual-credential-cacert']);
    expect(rt.listeners.warmingNames().sort()).toEqual(['mutual', 'simple']);
    expect(apply(TypeUrl.Secret, 's1', [certSecret('kubernetes://httpbin-credential', certA)])).toBeUndefined();
    await waitUntil(() => !rt.listeners.warmingNames().includes('simple'));
    expect(rt.listeners.warmingNames()).toEqual(['mutual']);
    const s = await connect(SIMPLE_PORT, certA.cert);
    expect(s.getPeerX509Certificate()?.fingerprint256).toBe(new (await import('node:crypto')).X509Certificate(certA.cert).fingerprint256);
    expect(await get(s)).toBe('200 httpbin');
    s.destroy();
  });

  it('rotates: new handshakes get the new certificate, an open connection keeps working', async () => {
    const open = await connect(SIMPLE_PORT, certA.cert);
    expect(await get(open)).toBe('200 httpbin');
    expect(apply(TypeUrl.Secret, 's2', [certSecret('kubernetes://httpbin-credential', certB)])).toBeUndefined();
    const fresh = await connect(SIMPLE_PORT, certB.cert);
    expect(fresh.getPeerCertificate().fingerprint256).not.toBe(open.getPeerCertificate().fingerprint256);
    expect(await get(fresh)).toBe('200 httpbin');
    expect(await get(open)).toBe('200 httpbin');
    await expect(connect(SIMPLE_PORT, certA.cert)).rejects.toThrow();
    open.destroy();
    fresh.destroy();
  });

  it('NACKs an unusable secret naming it, keeping the last good one', async () => {
    const err = apply(TypeUrl.Secret, 's3', [{ name: 'kubernetes://httpbin-credential', tlsCertificate: { certificateChain: b64(certA.cert), privateKey: b64(certB.key) } }]);
    expect(err).toBe('SDS "kubernetes://httpbin-credential": secret "kubernetes://httpbin-credential": the private key does not match the certificate');
    expect(rt.secrets.certificate('kubernetes://httpbin-credential')?.certificateChain).toBe(certB.cert);
    expect(logs.join('\n')).not.toContain('PRIVATE KEY');
  });

  it('MUTUAL: a client certificate verified against the -cacert secret is required', async () => {
    expect(apply(TypeUrl.Secret, 's4', [certSecret('kubernetes://httpbin-credential', certB), certSecret('kubernetes://mutual-credential', certA), caSecret('kubernetes://mutual-credential-cacert', client.cert)])).toBeUndefined();
    await waitUntil(() => rt.listeners.warmingNames().length === 0);
    const ok = await connect(MUTUAL_PORT, certA.cert, client);
    expect(await get(ok)).toBe('200 httpbin');
    ok.destroy();
    const anonymous = await connect(MUTUAL_PORT, certA.cert).catch((e: Error) => e);
    const refused = anonymous instanceof Error ? anonymous : await get(anonymous).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(rt.stats.scope('listener', `${IP}_${MUTUAL_PORT}`).counter('ssl.no_certificate').value).toBeGreaterThan(0);
  });
});
