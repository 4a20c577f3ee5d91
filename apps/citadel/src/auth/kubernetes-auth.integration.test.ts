import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { createCsr, generateKeyPair } from '@mizzen/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CitadelHarness, startCitadelHarness } from '../testing/citadel-harness';
import { type FakeKubeApi, startFakeKubeApi } from '../testing/fake-kube-api';
import { opensslVerify } from '../testing/openssl';

const ID = 'spiffe://cluster.local/ns/default/sa/reviews';
const csr = async () => createCsr(await generateKeyPair(), { uris: [ID] });
let kube: FakeKubeApi;
let h: CitadelHarness;
let tmp: string;

beforeAll(async () => {
  kube = await startFakeKubeApi('citadel-sa-token');
  kube.tokens.set('reviews-jwt', { username: 'system:serviceaccount:default:reviews', audiences: ['istio-ca'] });
  kube.tokens.set('ratings-jwt', { username: 'system:serviceaccount:default:ratings', audiences: ['istio-ca'] });
  kube.tokens.set('api-only-jwt', { username: 'system:serviceaccount:default:reviews', audiences: ['https://kubernetes.default.svc'] });
  kube.tokens.set('user-jwt', { username: 'alice', audiences: ['istio-ca'] });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'citadel-kube-'));
  await fs.writeFile(path.join(tmp, 'token'), 'citadel-sa-token\n');
  await fs.writeFile(path.join(tmp, 'ca.crt'), kube.caPem);
  h = await startCitadelHarness({ flags: ['--auth', 'kubernetes', '--kube-api', kube.url, '--kube-token-file', path.join(tmp, 'token'), '--kube-ca-file', path.join(tmp, 'ca.crt')] });
});
afterAll(async () => {
  await h?.stop();
  await kube?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('Kubernetes mode: service-account JWTs verified by TokenReview', () => {
  it('issues the SVID of the service account the API server vouches for', async () => {
    const r = await h.ca.createCertificate(await csr(), { token: 'reviews-jwt' });
    if (!r.ok) throw new Error(`${r.code}: ${r.details}`);
    expect(new X509Certificate(r.chain[0]).subjectAltName).toBe(`URI:${ID}`);
    expect((await opensslVerify({ roots: r.chain[2], intermediates: r.chain[1], leaf: r.chain[0] })).code).toBe(0);
    expect(kube.reviews.at(-1)).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'reviews-jwt', audiences: ['istio-ca'] } });
  });

  it('refuses another service account’s token, an unknown token, a token without the audience, a non-service-account user', async () => {
    expect(await h.ca.createCertificate(await csr(), { token: 'ratings-jwt' })).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED });
    expect(await h.ca.createCertificate(await csr(), { token: 'forged-jwt' })).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/Kubernetes token rejected: \[invalid bearer token/) });
    expect(await h.ca.createCertificate(await csr(), { token: 'api-only-jwt' })).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED });
    expect(await h.ca.createCertificate(await csr(), { token: 'user-jwt' })).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/not a service account/) });
  });

  it('does not accept Citadel bootstrap tokens when local mode is off, nor mint them', async () => {
    await expect(h.token('default', 'reviews')).rejects.toThrow(/bootstrap tokens are disabled/);
  });

  it('reports an API server it cannot authenticate to as UNAUTHENTICATED with the cause', async () => {
    await fs.writeFile(path.join(tmp, 'token'), 'stale-token');
    try {
      expect(await h.ca.createCertificate(await csr(), { token: 'reviews-jwt' })).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/TokenReview failed: HTTP 401/) });
    } finally {
      await fs.writeFile(path.join(tmp, 'token'), 'citadel-sa-token');
    }
  });
});
