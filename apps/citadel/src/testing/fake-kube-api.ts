import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCsr, exportPrivateKeyPem, generateKeyPair, joinPem, signCsr } from '@mizzen/pki';
import { testCa } from './test-ca';

export interface FakeTokenReview {
  username: string;
  audiences: string[];
}

export interface FakeKubeApi {
  url: string;
  /** PEM of the CA that signed the server's certificate (what `--kube-ca-file` holds). */
  caPem: string;
  /** Tokens the API server recognises. */
  tokens: Map<string, FakeTokenReview>;
  /** Bodies of the TokenReviews received. */
  reviews: unknown[];
  close(): Promise<void>;
}

/**
 * The one fake the tests use: a tiny Kubernetes API server over HTTPS on loopback that answers
 * `POST /apis/authentication.k8s.io/v1/tokenreviews` like kube-apiserver (authenticated, user,
 * audiences), and 401s callers without `callerToken`. No kube-apiserver can run here (STACK.md).
 */
export async function startFakeKubeApi(callerToken: string): Promise<FakeKubeApi> {
  const { root, intermediate } = await testCa();
  const key = await generateKeyPair();
  const cert = await signCsr({ csr: await createCsr(key, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }), issuer: intermediate, sans: { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }, ttlMs: 3600_000 });
  const tokens = new Map<string, FakeTokenReview>();
  const reviews: unknown[] = [];
  const server = https.createServer({ key: await exportPrivateKeyPem(key), cert: joinPem([cert.certPem, intermediate.certPem]) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${callerToken}`) return send(401, { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
      if (req.method !== 'POST' || req.url !== '/apis/authentication.k8s.io/v1/tokenreviews') return send(404, { kind: 'Status', code: 404 });
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { spec: { token: string; audiences?: string[] } };
      reviews.push(review);
      const known = tokens.get(review.spec.token);
      const wanted = review.spec.audiences ?? [];
      // kube-apiserver: the token must carry one of the requested audiences; status.audiences is the intersection.
      const audiences = known ? (wanted.length ? known.audiences.filter((a) => wanted.includes(a)) : known.audiences) : [];
      const authenticated = Boolean(known) && (wanted.length === 0 || audiences.length > 0);
      send(201, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: review.spec,
        status: authenticated ? { authenticated: true, user: { username: known?.username, groups: ['system:serviceaccounts'] }, audiences } : { authenticated: false, error: '[invalid bearer token, token lookup failed]' },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: root.certPem,
    tokens,
    reviews,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
