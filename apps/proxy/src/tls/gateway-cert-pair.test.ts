import { X509Certificate } from 'node:crypto';
import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterResource, listenerResource } from '../config/resources';
import { ProxyRuntime, xdsTypeHandlers } from '../runtime';
import { type TestCert, selfSignedCert } from '../testing/certs';
import * as p from '../testing/protocol-builders';
import { startRuntime, translate } from '../testing/runtime-harness';
import { curlHttps, presentedCertificate } from '../testing/tls-clients';
import { type TestUpstream, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

// Istio Gateway `tlsCertificates` (files) and `credentialNames` (SDS over ADS): an RSA and an
// ECDSA certificate in one TLS context; the client's signature algorithms pick the one presented.
const IP = '127.88.1.20';
const APP_IP = '127.88.1.21';
const HOST = 'pair.example.com';
const FILES_PORT = 19553;
const SDS_PORT = 19554;
const ECDSA_ONLY = 'ECDSA+SHA256';
const RSA_ONLY = 'RSA-PSS+SHA256';
/** curl limited to TLS 1.2 ECDHE-RSA suites: only the RSA certificate can serve it. */
const RSA_CURL = ['--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256'];

const fingerprint = (c: TestCert | X509Certificate | undefined) => (c === undefined ? undefined : c instanceof X509Certificate ? c.fingerprint256 : new X509Certificate(c.cert).fingerprint256);

function pairListener(port: number, common: xds.CommonTlsContext): xds.Listener {
  const l = p.withIstioHcm(p.httpsListener(`0.0.0.0_${port}`, IP, port, 'https', '', '', [HOST]));
  l.filterChains![0].transportSocket = { name: FilterName.Tls, typedConfig: toAny(TypeUrl.DownstreamTlsContext, { commonTlsContext: { ...common, alpnProtocols: ['h2', 'http/1.1'] } }) };
  return l;
}
const files = (...certs: TestCert[]): xds.CommonTlsContext => ({ tlsCertificates: certs.map((c) => ({ certificateChain: { filename: c.certFile }, privateKey: { filename: c.keyFile } })) });
const ads = (name: string): xds.SdsSecretConfig => ({ name, sdsConfig: { ads: {}, resourceApiVersion: 'V3' } });
const b64 = (s: string) => ({ inlineBytes: Buffer.from(s).toString('base64') });

describe('one TLS context with an RSA and an ECDSA certificate', () => {
  const rsa = selfSignedCert([HOST], undefined, 'rsa');
  const ecdsa = selfSignedCert([HOST], undefined, 'ec');
  let app: TestUpstream;

  beforeAll(async () => {
    app = await startUpstream('httpbin', APP_IP, (_req, res) => res.end('httpbin'));
  });
  afterAll(async () => app.close());

  describe('from files (tlsCertificates)', () => {
    let rt: ProxyRuntime;
    beforeAll(async () => {
      rt = await startRuntime({
        clusters: [b.staticCluster('httpbin', [[app.host, app.port]])],
        listeners: [pairListener(FILES_PORT, files(rsa, ecdsa))],
        routes: [b.routeConfiguration('https', [b.vhost('h', ['*'], [b.routeTo('httpbin')])])],
      });
    });
    afterAll(async () => rt.close());

    it('presents the ECDSA certificate to an ECDSA-only client and the RSA one to an RSA-only client', async () => {
      expect(fingerprint(await presentedCertificate(IP, FILES_PORT, HOST, ECDSA_ONLY))).toBe(fingerprint(ecdsa));
      expect(fingerprint(await presentedCertificate(IP, FILES_PORT, HOST, RSA_ONLY))).toBe(fingerprint(rsa));
    });

    it('serves requests with either certificate (curl: ECDSA by default, RSA when it offers only RSA cipher suites)', async () => {
      expect(await curlHttps(IP, FILES_PORT, HOST, '/', ecdsa.certFile)).toMatchObject({ exitCode: 0, status: 200, body: 'httpbin' });
      expect(await curlHttps(IP, FILES_PORT, HOST, '/', rsa.certFile, undefined, RSA_CURL)).toMatchObject({ exitCode: 0, status: 200, body: 'httpbin' });
      // Verified against the RSA certificate, curl offering ECDSA suites must fail: the ECDSA one was presented.
      expect((await curlHttps(IP, FILES_PORT, HOST, '/', rsa.certFile)).exitCode).toBe(60);
    });
  });

  describe('from SDS secrets (credentialNames)', () => {
    let rt: ProxyRuntime;
    const subscribed = new Map<string, readonly string[]>();
    const apply = (handlers: ReturnType<typeof xdsTypeHandlers>, typeUrl: string, bodies: unknown[]) => {
      const res: DiscoveryResponseIn = { versionInfo: 'v1', typeUrl, nonce: 'n', resources: bodies.map((body) => ({ typeUrl, body: body as Record<string, unknown> })) };
      return handlers.find((h) => h.typeUrl === typeUrl)!.handler.apply(res, 'wildcard');
    };

    beforeAll(async () => {
      rt = new ProxyRuntime({ log: () => undefined, initialFetchTimeoutMs: 5000 });
      const handlers = xdsTypeHandlers(rt, { setResourceNames: (t, names) => subscribed.set(t, names) });
      expect(apply(handlers, TypeUrl.Cluster, [b.staticCluster('httpbin', [[app.host, app.port]])])).toBeUndefined();
      expect(apply(handlers, TypeUrl.RouteConfiguration, [b.routeConfiguration('https', [b.vhost('h', ['*'], [b.routeTo('httpbin')])])])).toBeUndefined();
      const sds = { tlsCertificateSdsSecretConfigs: [ads('kubernetes://pair-rsa'), ads('kubernetes://pair-ecdsa')] };
      expect(apply(handlers, TypeUrl.Listener, [pairListener(SDS_PORT, sds)])).toBeUndefined();
      expect(subscribed.get(TypeUrl.Secret)).toEqual(['kubernetes://pair-ecdsa', 'kubernetes://pair-rsa']);
      const secret = (name: string, c: TestCert) => ({ name, tlsCertificate: { certificateChain: b64(c.cert), privateKey: b64(c.key) } });
      expect(apply(handlers, TypeUrl.Secret, [secret('kubernetes://pair-rsa', rsa), secret('kubernetes://pair-ecdsa', ecdsa)])).toBeUndefined();
      await waitUntil(() => rt.listeners.warmingNames().length === 0);
    });
    afterAll(async () => rt.close());

    it('presents the ECDSA secret to an ECDSA-only client and the RSA secret to an RSA-only client', async () => {
      expect(fingerprint(await presentedCertificate(IP, SDS_PORT, HOST, ECDSA_ONLY))).toBe(fingerprint(ecdsa));
      expect(fingerprint(await presentedCertificate(IP, SDS_PORT, HOST, RSA_ONLY))).toBe(fingerprint(rsa));
      expect(await curlHttps(IP, SDS_PORT, HOST, '/', rsa.certFile, undefined, RSA_CURL)).toMatchObject({ exitCode: 0, status: 200 });
    });
  });

  it('refuses two certificates of one key type (OpenSSL would keep only the last) and several client certificates', () => {
    const other = selfSignedCert([HOST], undefined, 'rsa');
    expect(() => translate(listenerResource, [pairListener(FILES_PORT, files(rsa, other))])).toThrow(/tlsCertificates\[1\]: a context holds one certificate per key type/);
    const upstream = b.staticCluster('tls', [[APP_IP, 1]], { transportSocket: { name: FilterName.Tls, typedConfig: toAny(TypeUrl.UpstreamTlsContext, { commonTlsContext: files(rsa, ecdsa) }) } });
    expect(() => translate(clusterResource, [upstream])).toThrow(/a client context holds exactly one certificate/);
  });
});
