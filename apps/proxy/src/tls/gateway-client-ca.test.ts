import { X509Certificate, createHash } from 'node:crypto';
import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type TestCert, caSignedCert, revocationList, selfSignedCert, testCa } from '../testing/certs';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { curlHttps } from '../testing/tls-clients';
import { type TestUpstream, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

// Istio Gateway `tls.caCertificates` (MUTUAL / OPTIONAL_MUTUAL with certificate files): the
// DownstreamTlsContext Pilot generates (validation_context.trusted_ca file, typed SAN matchers,
// pins, require_client_certificate for MUTUAL), driven with curl as the client.
const IP = '127.88.1.10';
const APP_IP = '127.88.1.11';
const HOST = 'mutual.example.com';
const PORTS = { mutual: 19543, optional: 19544, pinned: 19545, spki: 19546, crl: 19547 } as const;

const sha256 = (b: Buffer, enc: 'hex' | 'base64') => createHash('sha256').update(b).digest(enc);
const spkiOf = (c: TestCert) => sha256(new X509Certificate(c.cert).publicKey.export({ type: 'spki', format: 'der' }), 'base64');
const hashOf = (c: TestCert) => new X509Certificate(c.cert).fingerprint256;

/** Pilot's server transport socket for files: certificate, client CA, SANs / pins, MUTUAL's requirement. */
function serverTls(server: TestCert, ca: TestCert, mutual: boolean, restrict: Partial<xds.CertificateValidationContext> = {}): xds.TransportSocket {
  const ctx: xds.DownstreamTlsContext = {
    commonTlsContext: {
      tlsCertificates: [{ certificateChain: { filename: server.certFile }, privateKey: { filename: server.keyFile } }],
      validationContext: { trustedCa: { filename: ca.certFile }, ...restrict },
      alpnProtocols: ['h2', 'http/1.1'],
    },
    ...(mutual ? { requireClientCertificate: { value: true } } : {}),
  };
  return { name: FilterName.Tls, typedConfig: toAny(TypeUrl.DownstreamTlsContext, ctx) };
}

function gatewayListener(port: number, transportSocket: xds.TransportSocket): xds.Listener {
  const l = p.withIstioHcm(p.httpsListener(`0.0.0.0_${port}`, IP, port, 'https', '', '', [HOST]));
  l.filterChains![0].transportSocket = transportSocket;
  return l;
}

describe('gateway client certificates from caCertificates (curl as the client)', () => {
  let rt: ProxyRuntime;
  let app: TestUpstream;
  let seen = 0;
  const server = selfSignedCert([HOST]);
  const ca = testCa('client-ca');
  const otherCa = testCa('other-ca');
  const good = caSignedCert(ca, ['client.example.com']);
  const goodRsa = caSignedCert(ca, ['client.example.com'], 'rsa');
  const wrongSan = caSignedCert(ca, ['intruder.example.com']);
  const stranger = caSignedCert(otherCa, ['client.example.com']);
  const revoked = caSignedCert(ca, ['client.example.com']);
  const crl = revocationList(ca, [revoked]);
  const get = (port: number, client?: TestCert) => curlHttps(IP, port, HOST, '/headers', server.certFile, client);

  beforeAll(async () => {
    app = await startUpstream('httpbin', APP_IP, (req, res) => {
      seen++;
      res.end(`httpbin ${req.url}`);
    });
    const sans = { matchTypedSubjectAltNames: [{ sanType: 'DNS' as const, matcher: { exact: 'client.example.com' } }] };
    rt = await startRuntime({
      clusters: [b.staticCluster('httpbin', [[app.host, app.port]])],
      listeners: [
        gatewayListener(PORTS.mutual, serverTls(server, ca, true, sans)),
        gatewayListener(PORTS.optional, serverTls(server, ca, false)),
        gatewayListener(PORTS.pinned, serverTls(server, ca, true, { verifyCertificateHash: [hashOf(goodRsa)] })),
        gatewayListener(PORTS.spki, serverTls(server, ca, true, { verifyCertificateSpki: [spkiOf(good)] })),
        gatewayListener(PORTS.crl, serverTls(server, ca, true, { crl: { filename: crl.crlFile } })),
      ],
      routes: [b.routeConfiguration('https', [b.vhost('h', ['*'], [b.routeTo('httpbin')])])],
    });
  });

  afterAll(async () => {
    await rt.close();
    await app.close();
  });

  it('MUTUAL accepts a client certificate signed by the CA with a matching SAN', async () => {
    expect(await get(PORTS.mutual, good)).toMatchObject({ exitCode: 0, status: 200, body: 'httpbin /headers' });
  });

  it('MUTUAL refuses a client without a certificate, one signed by another CA, and one with another SAN', async () => {
    const before = seen;
    for (const client of [undefined, stranger, wrongSan]) {
      const r = await get(PORTS.mutual, client);
      expect(r.exitCode, `client ${client?.certFile ?? 'without a certificate'}: ${r.stderr}`).not.toBe(0);
      expect(r.status).toBe(0);
    }
    expect(seen).toBe(before);
    const counter = (stat: string) => rt.stats.scope('listener', `${IP}_${PORTS.mutual}`).counter(stat).value;
    expect([counter('ssl.no_certificate'), counter('ssl.fail_verify_error'), counter('ssl.fail_verify_san')]).toEqual([1, 1, 1]);
  });

  it('OPTIONAL_MUTUAL accepts a client without a certificate and one with a good certificate, refuses a bad one', async () => {
    expect(await get(PORTS.optional)).toMatchObject({ exitCode: 0, status: 200 });
    expect(await get(PORTS.optional, good)).toMatchObject({ exitCode: 0, status: 200 });
    expect((await get(PORTS.optional, stranger)).exitCode).not.toBe(0);
  });

  it('verifyCertificateHash / verifyCertificateSpki admit only the pinned certificate among those the CA signed', async () => {
    expect(await get(PORTS.pinned, goodRsa)).toMatchObject({ exitCode: 0, status: 200 });
    expect((await get(PORTS.pinned, good)).exitCode).not.toBe(0);
    expect(await get(PORTS.spki, good)).toMatchObject({ exitCode: 0, status: 200 });
    expect((await get(PORTS.spki, goodRsa)).exitCode).not.toBe(0);
  });

  it('caCrl: a revoked client certificate is refused, the others of the CA still pass', async () => {
    expect(await get(PORTS.crl, good)).toMatchObject({ exitCode: 0, status: 200 });
    expect((await get(PORTS.crl, revoked)).exitCode).not.toBe(0);
  });
});
