import * as grpc from '@grpc/grpc-js';
import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type CheckRequestSeen, startGrpcAuthorizer, startHttpAuthorizer } from '../testing/authz-servers';
import { type EchoClient, echoClient, startEchoServer, unary } from '../testing/grpc-echo';
import { jwksOf, nowSeconds, signJwt, testSigner } from '../testing/jwt';
import { MeshCa, workloadSecrets } from '../testing/mesh-ca';
import { istioUpstreamTls } from '../testing/mtls-builders';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.200';
const ISS = 'testing@secure.istio.io';
const signer = testSigner('RS256', 'k1');

type Filter = xds.HttpFilter;
const rbac = (body: Record<string, unknown>): Filter => ({ name: 'envoy.filters.http.rbac', typedConfig: { '@type': TypeUrl.RBAC, ...body } as xds.Any });
const any = { any: true };
const policy = (permissions: object[], principals: object[] = [{ andIds: { ids: [any] } }]) => ({ permissions, principals });
const method = (m: string) => ({ header: { name: ':method', stringMatch: { exact: m } } });
const pathPrefix = (v: string) => ({ urlPath: { path: { prefix: v } } });
const claim = (key: string, exact: string) => ({ metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key }], value: { stringMatch: { exact } } } });

/** Istio's jwt_authn for a RequestAuthentication with inline JWKS. */
const jwtFilter: Filter = {
  name: 'envoy.filters.http.jwt_authn',
  typedConfig: {
    '@type': TypeUrl.JwtAuthentication,
    providers: { 'origins-0': { issuer: ISS, audiences: ['bookinfo'], payloadInMetadata: 'payload', normalizePayloadInMetadata: { spaceDelimitedClaims: ['permission', 'scope'] }, claimToHeaders: [{ headerName: 'x-jwt-sub', claimName: 'sub' }], localJwks: { inlineString: jwksOf(signer) } } },
    rules: [{ match: { prefix: '/' }, requires: { requiresAny: { requirements: [{ providerName: 'origins-0' }, { allowMissing: {} }] } } }],
    bypassCorsPreflight: true,
  } as xds.Any,
};

/** Istio's CUSTOM pair: shadow RBAC naming the policy, then ext_authz enabled by that metadata. */
function custom(service: Record<string, unknown>, extra: Record<string, unknown> = {}): Filter[] {
  return [
    rbac({ shadowRules: { action: 'DENY', policies: { 'istio-ext-authz-ns[default]-policy[ext]-rule[0]': policy([pathPrefix('/ext')]) } }, shadowRulesStatPrefix: 'istio_ext_authz_' }),
    {
      name: 'envoy.filters.http.ext_authz',
      typedConfig: {
        '@type': TypeUrl.ExtAuthz,
        statusOnError: { code: 'Forbidden' },
        transportApiVersion: 'V3',
        filterEnabledMetadata: { filter: 'envoy.filters.http.rbac', path: [{ key: 'istio_ext_authz_shadow_effective_policy_id' }], value: { stringMatch: { prefix: 'istio-ext-authz' } } },
        ...service,
        ...extra,
      } as xds.Any,
    },
  ];
}

function listener(name: string, port: number, filters: Filter[]): xds.Listener {
  const l = b.listener(name, IP, port, { rds: 'r' });
  (l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager).httpFilters = [...filters, { name: 'envoy.filters.http.fault', typedConfig: { '@type': TypeUrl.HTTPFault } }, b.router];
  return l;
}

const PORTS = { authz: 15100, nothing: 15101, jwt: 15102, extHttp: 15103, extGrpc: 15104, extFailOpen: 15105, grpc: 15106, xff: 15107, extGrpcMtls: 15108 };

describe('security filters in the proxy (RBAC, jwt_authn, ext_authz)', () => {
  let rt: ProxyRuntime;
  let upstream: TestUpstream;
  let authorizer: TestUpstream;
  let grpcAuthz: { port: number; seen: CheckRequestSeen[]; close(): void };
  let mtlsAuthz: { port: number; seen: CheckRequestSeen[]; close(): void };
  let echo: { port: number; close(): void };
  let grpcClient: EchoClient;
  const log: string[] = [];

  beforeAll(async () => {
    upstream = await startUpstream('reviews', '127.0.0.201');
    authorizer = await startHttpAuthorizer('127.0.0.202');
    grpcAuthz = await startGrpcAuthorizer('127.0.0.203');
    // An ext_authz service with a sidecar in a STRICT mesh: the cluster's auto mTLS applies to Check.
    const ca = await MeshCa.create();
    const [self, authz] = await Promise.all([ca.issue('spiffe://cluster.local/ns/default/sa/reviews'), ca.issue('spiffe://cluster.local/ns/foo/sa/ext-authz')]);
    mtlsAuthz = await startGrpcAuthorizer('127.92.1.20', authz);
    echo = await startEchoServer('127.0.0.204');
    // Istio's includeRequestHeadersInCheck / headersToUpstreamOnAllow: only listed headers travel.
    const httpService = {
      httpService: {
        serverUri: { uri: 'http://ext-authz.foo.svc.cluster.local', cluster: 'outbound|8000||ext-authz', timeout: { seconds: 2 } },
        authorizationRequest: { allowedHeaders: { patterns: [{ exact: 'x-ext-authz' }] } },
        authorizationResponse: { allowedUpstreamHeaders: { patterns: [{ exact: 'x-authz-added' }] } },
      },
    };
    const grpcService = { grpcService: { envoyGrpc: { clusterName: 'outbound|9000||ext-authz-grpc', authority: 'ext-authz-grpc.foo.svc.cluster.local' }, timeout: { seconds: 0, nanos: 500_000_000 } } };
    rt = await startRuntime({
      clusters: [
        b.staticCluster('reviews', [[upstream.host, upstream.port]]),
        b.staticCluster('outbound|8000||ext-authz', [[authorizer.host, authorizer.port]]),
        p.h2Cluster('outbound|9000||ext-authz-grpc', [['127.0.0.203', grpcAuthz.port]]),
        p.h2Cluster('outbound|9000||ext-authz-mtls', [['127.92.1.20', mtlsAuthz.port]], 'typed', { transportSocket: istioUpstreamTls('outbound_.9000_._.ext-authz.foo.svc.cluster.local', ['spiffe://cluster.local/ns/foo/sa/ext-authz']) }),
        p.h2Cluster('echo', [['127.0.0.204', echo.port]]),
        b.staticCluster('outbound|8000||down', [['127.0.0.205', 1]]),
      ],
      listeners: [
        // AUDIT, DENY (/admin, and DELETE anywhere), ALLOW (GET and POST /api): Istio's order.
        listener('authz', PORTS.authz, [
          rbac({ rules: { action: 'LOG', policies: { audit: policy([pathPrefix('/')]) } } }),
          rbac({ rules: { action: 'DENY', policies: { 'ns[default]-policy[deny-admin]-rule[0]': policy([pathPrefix('/admin')]), 'ns[default]-policy[no-delete]-rule[0]': policy([method('DELETE')]) } }, shadowRulesStatPrefix: 'istio_dry_run_deny_' }),
          rbac({ rules: { action: 'ALLOW', policies: { 'ns[default]-policy[viewer]-rule[0]': policy([method('GET')]), 'ns[default]-policy[writer]-rule[0]': policy([{ andRules: { rules: [method('POST'), pathPrefix('/api')] } }]) } }, shadowRulesStatPrefix: 'istio_dry_run_allow_' }),
        ]),
        listener('nothing', PORTS.nothing, [rbac({ rules: { action: 'ALLOW' }, shadowRulesStatPrefix: 'istio_dry_run_allow_' })]),
        // RequestAuthentication + AuthorizationPolicy requiring a request principal on /secure.
        listener('jwt', PORTS.jwt, [
          jwtFilter,
          rbac({ rules: { action: 'ALLOW', policies: { public: policy([{ notRule: pathPrefix('/secure') }]), 'alice-only': policy([pathPrefix('/secure')], [{ andIds: { ids: [claim('iss', ISS), claim('sub', 'alice')] } }]) } } }),
        ]),
        listener('ext-http', PORTS.extHttp, custom(httpService)),
        listener('ext-grpc', PORTS.extGrpc, custom(grpcService)),
        listener('ext-grpc-mtls', PORTS.extGrpcMtls, custom({ grpcService: { envoyGrpc: { clusterName: 'outbound|9000||ext-authz-mtls', authority: 'ext-authz.foo.svc.cluster.local' }, timeout: { seconds: 2 } } })),
        listener('ext-fail-open', PORTS.extFailOpen, custom({ httpService: { serverUri: { uri: 'http://down', cluster: 'outbound|8000||down', timeout: { seconds: 1 } } } }, { failureModeAllow: true, failureModeAllowHeaderAdd: true })),
        p.withIstioHcm(listener('grpc', PORTS.grpc, [rbac({ rules: { action: 'ALLOW', policies: { alice: policy([pathPrefix('/mizzen.test.Echo/')], [{ header: { name: 'x-user', stringMatch: { exact: 'alice' } } }]) } } })])),
        listener('xff', PORTS.xff, [rbac({ rules: { action: 'ALLOW', policies: { office: policy([any], [{ remoteIp: { addressPrefix: '192.168.0.0', prefixLen: { value: 16 } } }]) } } })]),
      ],
      routes: [
        b.routeConfiguration('r', [
          b.vhost('echo', ['echo:50051'], [b.routeTo('echo', { prefix: '/' }, { timeout: { seconds: 0 } })]),
          b.vhost('reviews', ['*'], [b.routeTo('reviews')]),
        ]),
      ],
    }, { accessLog: (l) => log.push(l), secrets: workloadSecrets(self) });
    grpcClient = echoClient(`${IP}:${PORTS.grpc}`, 'echo:50051');
  });

  afterAll(async () => {
    grpcClient.close();
    await rt.close();
    await upstream.close();
    await authorizer.close();
    grpcAuthz.close();
    mtlsAuthz.close();
    echo.close();
  });

  const send = (port: number, path: string, opts: { method?: string; headers?: Record<string, string> } = {}) => request({ host: IP, port }, { path, method: opts.method, headers: { host: 'reviews:9080', ...opts.headers } });
  const stat = (listener: string, name: string): number => rt.stats.scope('http', listener).counter(name).value;

  describe('RBAC', () => {
    it('AUDIT, then DENY, then ALLOW, as Istio orders them', async () => {
      expect(await send(PORTS.authz, '/reviews/1')).toMatchObject({ status: 200, body: 'reviews' });
      expect(await send(PORTS.authz, '/api/x', { method: 'POST' })).toMatchObject({ status: 200 });
      const admin = await send(PORTS.authz, '/admin/users');
      expect(admin).toMatchObject({ status: 403, body: 'RBAC: access denied' });
      expect(admin.headers['content-type']).toBe('text/plain');
      await new Promise((r) => setTimeout(r, 20));
      // No response flag for RBAC (Envoy logs it in the response code details only).
      expect(log.find((l) => l.includes('/admin/users'))).toContain('" 403 - ');
      expect((await send(PORTS.authz, '/api/x', { method: 'DELETE' })).status).toBe(403);
      expect((await send(PORTS.authz, '/other', { method: 'POST' })).status).toBe(403);
      // AUDIT allowed all 5; DENY allowed 3 and denied 2; ALLOW allowed 2 and denied 1.
      expect(stat('authz', 'rbac.denied')).toBe(3);
      expect(stat('authz', 'rbac.allowed')).toBe(5 + 3 + 2);
    });

    it('a denied request never reaches the upstream', async () => {
      const before = upstream.requests.length;
      await send(PORTS.authz, '/admin');
      expect(upstream.requests.length).toBe(before);
    });

    it("`spec: {}` (ALLOW with no policies) denies everything, even paths without a route", async () => {
      expect(await send(PORTS.nothing, '/')).toMatchObject({ status: 403, body: 'RBAC: access denied' });
      expect((await send(PORTS.nothing, '/', { headers: { host: 'unknown:1' } })).status).toBe(403);
    });

    it('gRPC requests are denied with PERMISSION_DENIED, trailers-only (grpc-js client)', async () => {
      const denied = await unary(grpcClient, 'hi');
      expect(denied.err?.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(denied.err?.details).toBe('RBAC: access denied');
      const md = new grpc.Metadata();
      md.set('x-user', 'alice');
      expect((await unary(grpcClient, 'hi', md)).res?.text).toContain('hi');
    });

    it('remote_ip follows x-forwarded-for (use_remote_address off), direct peers do not', async () => {
      expect((await send(PORTS.xff, '/', { headers: { 'x-forwarded-for': '10.9.9.9, 192.168.3.4' } })).status).toBe(200);
      expect((await send(PORTS.xff, '/', { headers: { 'x-forwarded-for': '192.168.3.4, 10.9.9.9' } })).status).toBe(403);
      expect((await send(PORTS.xff, '/')).status).toBe(403);
    });
  });

  describe('jwt_authn with RBAC on the request principal', () => {
    const token = (claims: Record<string, unknown> = {}) => signJwt(signer, { iss: ISS, sub: 'alice', aud: 'bookinfo', exp: nowSeconds() + 600, ...claims });
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

    it('no token: public paths pass, /secure is denied by RBAC (no request principal)', async () => {
      expect((await send(PORTS.jwt, '/reviews')).status).toBe(200);
      expect(await send(PORTS.jwt, '/secure')).toMatchObject({ status: 403, body: 'RBAC: access denied' });
    });

    it('a valid token from alice reaches /secure; the token is not forwarded, the sub claim is', async () => {
      const res = await send(PORTS.jwt, '/secure', { headers: bearer(token()) });
      expect(res.status).toBe(200);
      const seen = upstream.requests.at(-1)!.headers;
      expect(seen.authorization).toBeUndefined();
      expect(seen['x-jwt-sub']).toBe('alice');
    });

    it("bob's valid token passes authentication but not authorization", async () => {
      expect((await send(PORTS.jwt, '/secure', { headers: bearer(token({ sub: 'bob' })) })).status).toBe(403);
    });

    it('an invalid token is a 401 with www-authenticate, even on public paths', async () => {
      const expired = await send(PORTS.jwt, '/reviews', { headers: { ...bearer(token({ exp: nowSeconds() - 3600 })), 'x-forwarded-proto': 'http' } });
      expect(expired).toMatchObject({ status: 401, body: 'Jwt is expired' });
      expect(expired.headers['www-authenticate']).toBe('Bearer realm="http://reviews:9080/reviews", error="invalid_token"');
      expect(await send(PORTS.jwt, '/reviews', { headers: bearer(token({ aud: 'other' })) })).toMatchObject({ status: 403, body: 'Audiences in Jwt are not allowed' });
      expect(stat('jwt', 'jwt_authn.denied')).toBeGreaterThanOrEqual(2);
    });

    it('gRPC: a bad token is UNAUTHENTICATED', async () => {
      const res = await send(PORTS.jwt, '/pkg.Svc/Call', { method: 'POST', headers: { ...bearer('x.y.z'), 'content-type': 'application/grpc' } });
      expect(res.status).toBe(200);
      expect(res.headers['grpc-status']).toBe('16');
    });
  });

  describe('ext_authz (CUSTOM)', () => {
    it('is only asked about requests the CUSTOM policy selects', async () => {
      const before = authorizer.requests.length;
      expect((await send(PORTS.extHttp, '/reviews')).status).toBe(200);
      expect(authorizer.requests.length).toBe(before);
      expect(stat('ext-http', 'ext_authz.disabled')).toBeGreaterThanOrEqual(1);
    });

    it('HTTP service: allow adds the allowed headers only; deny relays status, body and headers (flag UAEX)', async () => {
      const ok = await send(PORTS.extHttp, '/ext/a?q=1', { headers: { 'x-ext-authz': 'allow', 'x-remove-me': '1', authorization: 'Basic x' } });
      expect(ok.status).toBe(200);
      const check = authorizer.requests.at(-1)!;
      expect(check).toMatchObject({ method: 'GET', url: '/ext/a?q=1' });
      expect(check.headers).toMatchObject({ host: 'reviews:9080', authorization: 'Basic x', 'x-ext-authz': 'allow' });
      expect(check.headers['x-remove-me']).toBeUndefined();
      const up = upstream.requests.at(-1)!.headers;
      expect(up['x-authz-added']).toBe('yes');
      expect(up['x-private']).toBeUndefined();
      expect(up['x-remove-me']).toBeUndefined();
      const denied = await send(PORTS.extHttp, '/ext/a');
      expect(denied).toMatchObject({ status: 403, body: 'denied by ext-authz' });
      expect(denied.headers['x-reason']).toBe('not allowed');
      await new Promise((r) => setTimeout(r, 20));
      expect(log.at(-1)).toContain('" 403 UAEX ');
      expect(stat('ext-http', 'ext_authz.ok')).toBe(1);
      expect(stat('ext-http', 'ext_authz.denied')).toBe(1);
    });

    it('HTTP service: a 5xx from the authorizer is an error: status_on_error (403)', async () => {
      expect(await send(PORTS.extHttp, '/ext/a', { headers: { 'x-ext-authz': 'crash' } })).toMatchObject({ status: 403, body: '' });
      expect(stat('ext-http', 'ext_authz.error')).toBe(1);
    });

    it('gRPC service: Check decides; the denial carries its HTTP status, body and headers', async () => {
      const ok = await send(PORTS.extGrpc, '/ext/b', { headers: { 'x-ext-authz': 'allow' } });
      expect(ok.status).toBe(200);
      expect(upstream.requests.at(-1)!.headers['x-authz-added']).toBe('grpc');
      const seen = grpcAuthz.seen.at(-1)!.attributes;
      expect(seen.request.http).toMatchObject({ method: 'GET', path: '/ext/b', host: 'reviews:9080', protocol: 'HTTP/1.1' });
      expect(seen.request.http.headers[':path']).toBe('/ext/b');
      expect(seen.destination.address.socketAddress).toMatchObject({ address: IP, portValue: PORTS.extGrpc });
      const denied = await send(PORTS.extGrpc, '/ext/b');
      expect(denied).toMatchObject({ status: 401, body: 'grpc says no' });
      expect(denied.headers['x-reason']).toBe('grpc');
    });

    it("gRPC service: Check goes over the cluster's transport (mTLS to a server requiring the mesh client certificate)", async () => {
      const ok = await send(PORTS.extGrpcMtls, '/ext/m', { headers: { 'x-ext-authz': 'allow' } });
      expect(ok.status).toBe(200);
      expect(upstream.requests.at(-1)!.headers['x-authz-added']).toBe('grpc');
      expect(mtlsAuthz.seen.at(-1)!.attributes.request.http.path).toBe('/ext/m');
      expect(rt.stats.scope('cluster', 'outbound|9000||ext-authz-mtls').counter('ssl.handshake').value).toBe(1);
      expect((await send(PORTS.extGrpcMtls, '/ext/m')).status).toBe(401);
    });

    it('gRPC service: a call past its timeout is an error (403)', async () => {
      expect((await send(PORTS.extGrpc, '/ext/b', { headers: { 'x-ext-authz': 'slow' } })).status).toBe(403);
      expect(stat('ext-grpc', 'ext_authz.error')).toBe(1);
    });

    it('failure_mode_allow lets requests through when the authorizer is down, and says so upstream', async () => {
      expect((await send(PORTS.extFailOpen, '/ext/c')).status).toBe(200);
      expect(upstream.requests.at(-1)!.headers['x-envoy-auth-failure-mode-allowed']).toBe('true');
      expect(stat('ext-fail-open', 'ext_authz.failure_mode_allowed')).toBe(1);
    });
  });
});
