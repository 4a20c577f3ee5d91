import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JwtAuthnConfig } from '../../config/model';
import { Issues } from '../../config/translate/issues';
import { jwtAuthn } from '../../config/translate/jwt-authn';
import type { HeaderMap } from '../../http/headers';
import { jwksOf, nowSeconds, signJwt, testSigner } from '../../testing/jwt';
import { callUrl } from '../side-call';
import { runJwtAuthn } from './filter';
import { JwksCache } from './jwks-cache';
import { JwtVerifier } from './verifier';

const ISS = 'https://issuer.example.com';
const rsa = testSigner('RS256', 'rsa-1');
const ec = testSigner('ES256', 'ec-1');
const other = testSigner('RS256', 'rsa-1');

function translate(body: Record<string, unknown>): JwtAuthnConfig {
  const issues = new Issues();
  const cfg = jwtAuthn(body, 'jwt', issues);
  expect(issues.errors).toEqual([]);
  return cfg;
}

/** Istio's jwt_authn for one RequestAuthentication rule: (provider OR allow_missing). */
function istio(provider: Record<string, unknown>, requires: Record<string, unknown> = { requiresAny: { requirements: [{ providerName: 'origins-0' }, { allowMissing: {} }] } }): JwtAuthnConfig {
  return translate({
    providers: { 'origins-0': { issuer: ISS, payloadInMetadata: 'payload', normalizePayloadInMetadata: { spaceDelimitedClaims: ['permission', 'scope'] }, localJwks: { inlineString: jwksOf(rsa, ec) }, ...provider } },
    rules: [{ match: { prefix: '/' }, requires }],
    bypassCorsPreflight: true,
  });
}

const counters: Record<string, number> = {};
const stats = { inc: (s: string) => void (counters[s] = (counters[s] ?? 0) + 1) };

async function run(cfg: JwtAuthnConfig, headers: HeaderMap, path = '/items', method = 'GET', cache?: JwksCache) {
  const verifier = new JwtVerifier(cfg, cache ?? new JwksCache(async () => ({ status: 500, body: '' }), () => stats));
  const view = { method, authority: 'reviews:9080', path, scheme: 'http', headers };
  return runJwtAuthn(cfg, verifier, view, headers, nowSeconds());
}

const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISS, sub: 'alice', aud: 'reviews', exp: nowSeconds() + 600, scope: 'read write', ...extra });
const bearer = (t: string): HeaderMap => ({ authorization: `Bearer ${t}`, 'x-forwarded-proto': 'http' });

describe('jwt_authn as Istio configures it (provider OR allow_missing)', () => {
  const cfg = istio({});

  it('accepts RS256 and ES256 tokens; the payload goes to metadata (scope split), the token is not forwarded', async () => {
    for (const s of [rsa, ec]) {
      const h = bearer(signJwt(s, claims()));
      const r = await run(cfg, h);
      expect(r).toMatchObject({ kind: 'continue', payloads: { payload: { iss: ISS, sub: 'alice', scope: ['read', 'write'] } } });
      expect(h.authorization).toBeUndefined();
    }
  });

  it('lets a request without a token through (no request principal)', async () => {
    expect(await run(cfg, {})).toMatchObject({ kind: 'continue', payloads: {} });
  });

  it.each([
    ['expired', () => signJwt(rsa, claims({ exp: nowSeconds() - 120 })), 401, 'Jwt is expired'],
    ['expired within the 60 s clock skew is still valid', () => signJwt(rsa, claims({ exp: nowSeconds() - 30 })), 0, ''],
    ['not yet valid', () => signJwt(rsa, claims({ nbf: nowSeconds() + 600 })), 401, 'Jwt not yet valid'],
    // Envoy's requires_any treats an unknown issuer like a missing token when it aggregates.
    ['wrong issuer', () => signJwt(rsa, claims({ iss: 'https://evil' })), 401, 'Jwt is missing'],
    ['signed by another key with the same kid', () => signJwt(other, claims()), 401, 'Jwt verification fails'],
    ['unknown kid', () => signJwt(rsa, claims(), { kid: 'nope' }), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
    ['not a JWT', () => 'abc', 401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['alg none', () => signJwt(rsa, claims(), { alg: 'none' }), 401, 'Jwt header [alg] is not supported'],
  ])('%s', async (_name, token, status, body) => {
    const r = await run(cfg, bearer(token()));
    if (!status) return expect(r.kind).toBe('continue');
    const realm = 'Bearer realm="http://reviews:9080/items"';
    expect(r).toMatchObject({ kind: 'deny', status, body, wwwAuthenticate: body === 'Jwt is missing' ? realm : `${realm}, error="invalid_token"`, details: `jwt_authn_access_denied{${body.replace(/ /g, '_')}}` });
  });

  it('checks audiences (403 when none is allowed); http(s):// and a trailing / are ignored', async () => {
    const aud = istio({ audiences: ['https://reviews/'] });
    expect(await run(aud, bearer(signJwt(rsa, claims({ aud: ['other', 'reviews'] }))))).toMatchObject({ kind: 'continue' });
    expect(await run(aud, bearer(signJwt(rsa, claims({ aud: 'ratings' }))))).toMatchObject({ kind: 'deny', status: 403, body: 'Audiences in Jwt are not allowed' });
  });

  it('several tokens: a provider requirement needs every one valid', async () => {
    const required = istio({}, { providerName: 'origins-0' });
    const good = signJwt(rsa, claims());
    const bad = signJwt(other, claims());
    expect(await run(required, { authorization: [`Bearer ${bad}`, `Bearer ${good}`] })).toMatchObject({ kind: 'deny', body: 'Jwt verification fails' });
    expect(await run(required, { authorization: [`Bearer ${good}`, `Bearer ${bad}`] })).toMatchObject({ kind: 'deny', body: 'Jwt verification fails' });
    expect(await run(required, { authorization: [`Bearer ${good}`, `Bearer ${good}`] })).toMatchObject({ kind: 'continue' });
  });

  it('a required provider names the unknown issuer', async () => {
    const cfg1 = istio({}, { providerName: 'origins-0' });
    expect(await run(cfg1, bearer(signJwt(rsa, claims({ iss: 'https://evil' }))))).toMatchObject({ kind: 'deny', status: 401, body: 'Jwt issuer is not configured' });
  });

  it('bypasses CORS preflights', async () => {
    const h: HeaderMap = { origin: 'https://a', 'access-control-request-method': 'GET', authorization: 'Bearer bad' };
    expect(await run(cfg, h, '/', 'OPTIONS')).toMatchObject({ kind: 'continue', bypassed: true });
  });

  it("rejects every token with Pilot's placeholder JWKS (no jwks / jwksUri)", async () => {
    const unresolved = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'mizzen-unresolved', alg: 'RS256', e: 'AQAB', n: 'u'.repeat(342) }] });
    const c = istio({ localJwks: { inlineString: unresolved } });
    expect(await run(c, bearer(signJwt(rsa, claims(), { kid: undefined })))).toMatchObject({ kind: 'deny', body: 'Jwt verification fails' });
    expect(await run(c, {})).toMatchObject({ kind: 'continue' });
  });
});

describe('jwt_authn requirements and token locations', () => {
  it('a required provider: a missing token is a 401 without error="invalid_token"', async () => {
    const cfg = istio({}, { providerName: 'origins-0' });
    expect(await run(cfg, { 'x-forwarded-proto': 'https' })).toMatchObject({ kind: 'deny', status: 401, body: 'Jwt is missing', wwwAuthenticate: 'Bearer realm="https://reviews:9080/items"' });
  });

  it('allow_missing_or_failed lets a bad token through without metadata', async () => {
    const cfg = istio({}, { requiresAny: { requirements: [{ providerName: 'origins-0' }, { allowMissingOrFailed: {} }] } });
    expect(await run(cfg, bearer('a.b.c'))).toMatchObject({ kind: 'continue', payloads: {} });
  });

  it('from_headers with value_prefix and from_params; forward keeps the token; claim and payload headers', async () => {
    const cfg = istio({ fromHeaders: [{ name: 'x-jwt', valuePrefix: 'Token ' }], fromParams: ['jwt'], forward: true, forwardPayloadHeader: 'x-jwt-payload', claimToHeaders: [{ headerName: 'x-sub', claimName: 'sub' }] }, { providerName: 'origins-0' });
    const t = signJwt(ec, claims());
    const h: HeaderMap = { 'x-jwt': `Token ${t}`, 'x-sub': 'spoofed', 'x-jwt-payload': 'spoofed' };
    expect(await run(cfg, h)).toMatchObject({ kind: 'continue' });
    expect(h).toMatchObject({ 'x-jwt': `Token ${t}`, 'x-sub': 'alice', 'x-jwt-payload': t.split('.')[1] });
    expect(await run(cfg, {}, `/x?jwt=${t}`)).toMatchObject({ kind: 'continue' });
    // Authorization: Bearer is not a location of this provider.
    expect(await run(cfg, bearer(t))).toMatchObject({ kind: 'deny', body: 'Jwt is missing' });
  });

  it("Istio's several providers: either issuer's token passes, a bad one fails", async () => {
    const cfg = translate({
      providers: {
        'origins-0': { issuer: ISS, payloadInMetadata: 'payload', localJwks: { inlineString: jwksOf(rsa) } },
        'origins-1': { issuer: 'https://second', payloadInMetadata: 'payload', localJwks: { inlineString: jwksOf(ec) } },
      },
      rules: [
        {
          match: { prefix: '/' },
          requires: {
            requiresAny: {
              requirements: [
                { providerName: 'origins-0' },
                { providerName: 'origins-1' },
                { requiresAll: { requirements: [{ requiresAny: { requirements: [{ providerName: 'origins-0' }, { allowMissing: {} }] } }, { requiresAny: { requirements: [{ providerName: 'origins-1' }, { allowMissing: {} }] } }] } },
              ],
            },
          },
        },
      ],
    });
    expect(await run(cfg, bearer(signJwt(rsa, claims())))).toMatchObject({ kind: 'continue', payloads: { payload: { iss: ISS } } });
    expect(await run(cfg, bearer(signJwt(ec, claims({ iss: 'https://second' }))))).toMatchObject({ kind: 'continue', payloads: { payload: { iss: 'https://second' } } });
    expect(await run(cfg, {})).toMatchObject({ kind: 'continue' });
    // ISS's keys do not include the EC key's kid.
    expect(await run(cfg, bearer(signJwt(ec, claims())))).toMatchObject({ kind: 'deny', body: "Jwks doesn't have key to match kid or alg from Jwt" });
  });

  it('rules: the first matching route match applies; no match, no check', async () => {
    const cfg = translate({
      providers: { p: { issuer: ISS, localJwks: { inlineString: jwksOf(rsa) } } },
      rules: [{ match: { prefix: '/health' } }, { match: { prefix: '/api', headers: [{ name: ':method', stringMatch: { exact: 'POST' } }] }, requires: { providerName: 'p' } }],
    });
    expect(await run(cfg, {}, '/health')).toMatchObject({ kind: 'continue' });
    expect(await run(cfg, {}, '/api/x', 'GET')).toMatchObject({ kind: 'continue' });
    expect(await run(cfg, {}, '/api/x', 'POST')).toMatchObject({ kind: 'deny', body: 'Jwt is missing' });
  });
});

describe('remote JWKS', () => {
  let server: http.Server;
  let url: string;
  let hits = 0;
  let fail = false;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      if (fail) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwksOf(rsa));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const remote = () =>
    translate({
      providers: { p: { issuer: ISS, remoteJwks: { httpUri: { uri: url, cluster: 'outbound|443||issuer', timeout: { seconds: 2 } }, cacheDuration: { seconds: 300 } } } },
      rules: [{ match: { prefix: '/' }, requires: { providerName: 'p' } }],
    });

  it('fetches once, serves from the cache for cache_duration, then fetches again', async () => {
    let now = Date.now();
    const cfg = remote();
    const seen: string[] = [];
    const fetcher = async (uri: string, cluster: string, timeoutMs: number) => {
      seen.push(cluster);
      const r = await callUrl(uri, timeoutMs);
      return { status: r.status, body: r.body.toString() };
    };
    const cache = new JwksCache(fetcher, () => stats, () => now);
    hits = 0;
    const token = signJwt(rsa, claims());
    expect(await run(cfg, bearer(token), '/', 'GET', cache)).toMatchObject({ kind: 'continue' });
    const afterFirst = hits;
    expect(afterFirst).toBe(1);
    expect(await run(cfg, bearer(token), '/', 'GET', cache)).toMatchObject({ kind: 'continue' });
    expect(hits).toBe(afterFirst);
    now += 301_000;
    expect(await run(cfg, bearer(token), '/', 'GET', cache)).toMatchObject({ kind: 'continue' });
    expect(hits).toBe(2);
    expect(seen).toEqual(['outbound|443||issuer', 'outbound|443||issuer']);
  });

  it('a failed fetch fails the token (not cached: the next request fetches again)', async () => {
    const cfg = remote();
    const cache = new JwksCache(async (uri, _c, t) => {
      const r = await callUrl(uri, t);
      return { status: r.status, body: r.body.toString() };
    }, () => stats);
    fail = true;
    hits = 0;
    const before = counters.jwks_fetch_failed ?? 0;
    expect(await run(cfg, bearer(signJwt(rsa, claims())), '/', 'GET', cache)).toMatchObject({ kind: 'deny', status: 401, body: 'Jwks remote fetch is failed' });
    expect(counters.jwks_fetch_failed).toBe(before + 1);
    fail = false;
    expect(await run(cfg, bearer(signJwt(rsa, claims())), '/', 'GET', cache)).toMatchObject({ kind: 'continue' });
    expect(hits).toBe(2);
  });
});

describe('jwt_authn translation errors', () => {
  it.each([
    [{ providers: { p: { issuer: ISS } } }, 'jwt.providers.p: exactly one of remoteJwks, localJwks is required'],
    [{ providers: { p: { issuer: ISS, localJwks: { filename: '/x' } } } }, 'jwt.providers.p.localJwks.filename: not supported'],
    [{ providers: { p: { issuer: ISS, localJwks: { inlineString: '{}' }, jwtCacheConfig: {} } } }, 'jwt.providers.p.jwtCacheConfig: not supported'],
    [{ providers: {}, rules: [{ match: { prefix: '/' }, requires: { providerName: 'nope' } }] }, 'jwt.rules[0].requires.providerName: required provider "nope" is not configured'],
    [{ providers: {}, requirementMap: {} }, 'jwt.requirementMap: not supported'],
    [{ providers: { p: { issuer: ISS, remoteJwks: { httpUri: { uri: 'ftp://x', cluster: 'c', timeout: { seconds: 1 } } } } } }, 'jwt.providers.p.remoteJwks.httpUri.uri: "ftp://x" is not an http(s) URL'],
  ])('%j', (body, want) => {
    const issues = new Issues();
    jwtAuthn(body as Record<string, unknown>, 'jwt', issues);
    expect(issues.errors.map((e) => `${e.path}: ${e.message}`)).toContain(want);
  });

  it('warns (as Envoy) about an invalid inline JWKS', () => {
    const issues = new Issues();
    jwtAuthn({ providers: { p: { issuer: ISS, localJwks: { inlineString: '{"keys": []}' } } } }, 'jwt', issues);
    expect(issues.errors).toEqual([]);
    expect(issues.warnings.map((w) => w.path)).toEqual(['jwt.providers.p.localJwks']);
  });
});
