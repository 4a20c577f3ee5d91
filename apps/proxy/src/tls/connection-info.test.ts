import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshCa } from '../testing/mesh-ca';
import { tlsConnectionInfo } from './connection-info';

describe('tlsConnectionInfo', () => {
  let server: tls.Server;
  let port: number;
  let ca: MeshCa;
  const seen: Array<ReturnType<typeof tlsConnectionInfo>> = [];

  beforeAll(async () => {
    ca = await MeshCa.create();
    const svid = await ca.issue('spiffe://cluster.local/ns/default/sa/reviews');
    server = tls.createServer({ cert: svid.chain, key: svid.key, ca: ca.root.certPem, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['istio', 'h2'] }, (s) => {
      seen.push(tlsConnectionInfo(s));
      s.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it('reports SNI, ALPN, the peer and local URI SANs of a verified mTLS session', async () => {
    const client = await ca.issue('spiffe://cluster.local/ns/default/sa/productpage', { dnsNames: ['productpage.default'] });
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername: 'outbound_.9080_._.reviews.default.svc.cluster.local', cert: client.chain, key: client.key, ca: ca.root.certPem, ALPNProtocols: ['istio'], checkServerIdentity: () => undefined });
      s.on('data', () => s.end());
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    expect(seen[0]).toEqual({
      sni: 'outbound_.9080_._.reviews.default.svc.cluster.local',
      alpn: 'istio',
      peerCertificatePresented: true,
      peerUriSans: ['spiffe://cluster.local/ns/default/sa/productpage'],
      peerDnsSans: ['productpage.default'],
      localUriSans: ['spiffe://cluster.local/ns/default/sa/reviews'],
      peerSerial: client.serial.toLowerCase(),
    });
  });
});
