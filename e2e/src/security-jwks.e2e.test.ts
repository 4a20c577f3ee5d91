import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestMesh } from './support/mesh';

const BLOCK = '127.77.11';
const GATEWAY_IP = `${BLOCK}.200`;
const ISSUER = 'https://issuer.mizzen.test';
const AUDIENCE = 'bookinfo';

/** An RS256 signing key with its JWK (kid) and a token minter. */
function signingKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A token with `kid` in its header, signed by `key` (a different key with the same kid = a bad signature). */
function token(kid: string, key: KeyObject, claims: object = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const data = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64({ iss: ISSUER, sub: 'alice', aud: AUDIENCE, iat: now, exp: now + 600, ...claims })}`;
  return `${data}.${sign('sha256', Buffer.from(data), key).toString('base64url')}`;
}

/** The identity provider's JWKS endpoint on 127.0.0.1: the test rotates its keys or breaks it. */
class JwksServer {
  keys: object[] = [];
  status = 200;
  fetches = 0;
  private readonly server = http.createServer((_req, res) => {
    this.fetches++;
    res.writeHead(this.status, { 'content-type': 'application/json' }).end(this.status === 200 ? JSON.stringify({ keys: this.keys }) : 'unavailable');
  });

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/**
 * Istio's default JWKS handling with real processes (`meshctl up`): Pilot fetches the
 * RequestAuthentication's jwksUri, inlines the keys into the gateway's jwt_authn filter and
 * refetches them every PILOT_JWT_PUB_KEY_REFRESH_INTERVAL (1s here), so the identity provider's
 * key rotation reaches the proxy: A -> {A, B} -> {B}.
 */
describe('JWKS resolved by Pilot and key rotation at the ingress gateway (meshctl up, real processes)', () => {
  let mesh: TestMesh;
  const jwksServer = new JwksServer();
  const a = signingKey('key-a');
  const b = signingKey('key-b');
  const forger = signingKey('key-a');
  const until = (what: string, ok: () => Promise<boolean>, timeoutMs = 10_000) => waitFor(async () => (await ok()) || undefined, { timeoutMs, intervalMs: 100, message: what });
  const request = async (jwt?: string) => {
    const res = await fetch(`${mesh.gateway}/productpage`, { headers: jwt ? { authorization: `Bearer ${jwt}` } : {} });
    return { status: res.status, body: await res.text() };
  };
  const status = async (jwt?: string) => (await request(jwt)).status;
  const applyText = async (yaml: string) => {
    const r = await mesh.meshctl(['apply', '-f', '-'], yaml);
    expect(r.code, r.stderr).toBe(0);
  };

  beforeAll(async () => {
    jwksServer.keys = [a.jwk];
    const jwksUri = await jwksServer.start();
    mesh = await TestMesh.start({ ipBlock: BLOCK, gatewayIp: GATEWAY_IP, env: { PILOT_JWT_PUB_KEY_REFRESH_INTERVAL: '1s' } });
    await applyText(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt-jwks-uri, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  jwtRules:
  - issuer: ${ISSUER}
    jwksUri: ${jwksUri}
    audiences: [${AUDIENCE}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["${ISSUER}/alice"]}}]
`);
  });

  afterAll(async () => {
    await mesh?.stop();
    await jwksServer.stop();
  });

  it('Pilot fetched the jwksUri before pushing the policy: a token signed by key A passes; no token, wrong issuer, wrong audience, bad signature and an unknown key do not', async () => {
    // `meshctl apply` returns before the gateway has the policy: until then everything passes.
    // No token: jwt_authn lets it through without a principal, the ALLOW policy then denies it.
    await until('the policy is in force: a request without a token is denied', async () => (await status()) === 403);
    // Pilot fetched key A before it pushed the policy (Istio fetches inside the push), so the
    // listener that denies the request without a token already accepts a key-A token.
    expect(jwksServer.fetches).toBeGreaterThan(0);
    expect(await status(token('key-a', a.privateKey))).toBe(200);
    expect(await status(token('key-a', a.privateKey, { iss: 'https://evil.example.com' }))).toBe(401);
    expect(await request(token('key-a', a.privateKey, { aud: 'other' }))).toEqual({ status: 403, body: 'Audiences in Jwt are not allowed' });
    expect(await request(token('key-a', forger.privateKey))).toEqual({ status: 401, body: 'Jwt verification fails' });
    // Key B is not published yet.
    expect(await status(token('key-b', b.privateKey))).toBe(401);
  });

  it('rotation A -> {A, B} -> {B}: key B is accepted within seconds, then key A is rejected with 401', async () => {
    jwksServer.keys = [a.jwk, b.jwk];
    const published = Date.now();
    await until('a token signed by key B is accepted', async () => (await status(token('key-b', b.privateKey))) === 200);
    expect(Date.now() - published).toBeLessThan(10_000);
    expect(await status(token('key-a', a.privateKey))).toBe(200);

    jwksServer.keys = [b.jwk];
    await until('a token signed by key A is rejected', async () => (await status(token('key-a', a.privateKey))) === 401);
    expect(await request(token('key-a', a.privateKey))).toMatchObject({ status: 401 });
    expect(await status(token('key-b', b.privateKey))).toBe(200);
  });

  it('a failing JWKS endpoint: Pilot keeps the last good keys (key B still passes, key A still fails)', async () => {
    jwksServer.status = 503;
    const before = jwksServer.fetches;
    await until('Pilot tried the broken endpoint twice', async () => jwksServer.fetches >= before + 2);
    expect(await status(token('key-b', b.privateKey))).toBe(200);
    expect(await status(token('key-a', a.privateKey))).toBe(401);
    jwksServer.status = 200;
  });
});
