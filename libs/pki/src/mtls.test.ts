import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { CaCredential } from './ca';
import { createCsr } from './csr-request';
import { exportPrivateKeyPem, generateKeyPair } from './keys';
import { joinPem } from './pem';
import { signCsr } from './sign-csr';
import { formatWorkloadId, parseWorkloadId } from './spiffe';
import { testCa } from './testing/test-ca';

const HOUR = 3_600_000;

async function svid(issuer: CaCredential, serviceAccount: string): Promise<{ key: string; cert: string }> {
  const id = formatWorkloadId({ trustDomain: 'cluster.local', namespace: 'default', serviceAccount });
  const key = await generateKeyPair();
  const leaf = await signCsr({ csr: await createCsr(key, { uris: [id] }), issuer, sans: { uris: [id] }, ttlMs: HOUR });
  // What a workload presents: its leaf, then the intermediate (the root stays with the verifier).
  return { key: await exportPrivateKeyPem(key), cert: joinPem([leaf.certPem, issuer.certPem]) };
}

/** The SPIFFE ID in a peer certificate's URI SAN (SPIFFE X509-SVID section 2: exactly one). */
function peerSpiffeId(sock: tls.TLSSocket): string | undefined {
  const san = sock.getPeerX509Certificate()?.subjectAltName ?? '';
  const uris = san.split(', ').filter((s) => s.startsWith('URI:'));
  if (uris.length !== 1) return undefined;
  const parsed = parseWorkloadId(uris[0].slice(4));
  return parsed.ok ? uris[0].slice(4) : undefined;
}

interface Handshake {
  serverSaw?: string;
  clientSaw?: string;
  protocol?: string | null;
  /** Application data the client received (the server writes `hi` once it accepted the peer). */
  received?: string;
  errors: string[];
}

async function handshake(ca: string, server: { key: string; cert: string }, client: { key: string; cert: string }): Promise<Handshake> {
  const result: Handshake = { errors: [] };
  const srv = tls.createServer({ ...server, ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, (sock) => {
    result.serverSaw = peerSpiffeId(sock);
    sock.end('hi');
  });
  srv.on('tlsClientError', (err) => result.errors.push(`server: ${err.message}`));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    await new Promise<void>((resolve) => {
      const sock = tls.connect({ host: '127.0.0.1', port, ...client, ca, minVersion: 'TLSv1.3', checkServerIdentity: () => undefined }, () => {
        result.clientSaw = peerSpiffeId(sock);
        result.protocol = sock.getProtocol();
      });
      sock.on('data', (d: Buffer) => {
        result.received = d.toString();
        sock.end();
      });
      sock.on('error', (err) => result.errors.push(`client: ${err.message}`));
      sock.on('close', () => resolve());
    });
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
  return result;
}

describe('mTLS with issued SVIDs over node:tls', () => {
  it('completes a TLS 1.3 handshake in which each side sees the other’s SPIFFE ID', async () => {
    const { root, intermediate } = await testCa();
    const r = await handshake(root.certPem, await svid(intermediate, 'reviews'), await svid(intermediate, 'productpage'));
    expect(r).toEqual({
      protocol: 'TLSv1.3',
      received: 'hi',
      serverSaw: 'spiffe://cluster.local/ns/default/sa/productpage',
      clientSaw: 'spiffe://cluster.local/ns/default/sa/reviews',
      errors: [],
    });
  });

  it('fails the handshake when the client’s certificate comes from another CA', async () => {
    const { root, intermediate } = await testCa();
    const other = await testCa();
    const r = await handshake(root.certPem, await svid(intermediate, 'reviews'), await svid(other.intermediate, 'productpage'));
    expect(r.serverSaw).toBeUndefined();
    // TLS 1.3: the client finishes its side before the server checks the client certificate; the
    // server then drops the connection, so no application data ever flows.
    expect(r.received).toBeUndefined();
    expect(r.errors.length).toBeGreaterThan(0);
  });
});
