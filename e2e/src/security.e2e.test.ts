import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, TestMesh } from './support/mesh';

const SEC = path.join(REPO, 'samples/bookinfo/security');
const BLOCK = '127.77.10';
const GATEWAY_IP = `${BLOCK}.200`;

/** What the product page showed: its status and the status each backend call got. */
async function page(gateway: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; details?: string; reviews?: string }> {
  const res = await fetch(`${gateway}/productpage`, { headers });
  const body = await res.text();
  return { status: res.status, body, details: /data-details-status="(\d+)"/.exec(body)?.[1], reviews: /data-reviews-status="(\d+)"/.exec(body)?.[1] };
}

/** A plaintext HTTP/1.1 request straight to a sidecar's inbound port, bypassing the mesh. */
function plaintext(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => s.write(`GET /details/0 HTTP/1.1\r\nhost: details:9080\r\nconnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => (data += d.toString()));
    s.on('error', () => resolve(`error ${data}`));
    s.on('close', () => resolve(data || 'closed'));
    s.setTimeout(5000, () => s.destroy());
  });
}

const ISSUER = 'testing@secure.istio.io';

/** An RS256 key pair, its JWKS (inline in a RequestAuthentication) and a token minter. */
function jwtIssuer() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'e2e', alg: 'RS256', use: 'sig' }] });
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const token = (claims: object = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const data = `${b64({ alg: 'RS256', kid: 'e2e', typ: 'JWT' })}.${b64({ iss: ISSUER, sub: ISSUER, iat: now, exp: now + 600, ...claims })}`;
    return `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
  };
  return { jwks, token };
}

/**
 * Bookinfo under mesh security (Istio's mTLS migration and HTTP authorization tasks), real
 * processes: every proxy gets its certificate from Citadel through its agent and reaches Pilot
 * over TLS; the sample runs STRICT by default. The capture on the wire is in
 * security-wire.e2e.test.ts (the mesh inside a network namespace).
 */
describe('Bookinfo with mTLS and authorization policies (meshctl up, real processes)', () => {
  let mesh: TestMesh;
  const apply = async (file: string) => {
    const r = await mesh.meshctl(['apply', '-f', path.join(SEC, file)]);
    expect(r.code, r.stderr).toBe(0);
  };
  const remove = async (file: string) => {
    const r = await mesh.meshctl(['delete', '-f', path.join(SEC, file)]);
    expect(r.code, r.stderr).toBe(0);
  };
  const until = (what: string, ok: () => Promise<boolean>) => waitFor(async () => (await ok()) || undefined, { timeoutMs: 10_000, intervalMs: 100, message: what });
  /** details-v1, the second workload of samples/bookinfo/workloads.yaml. */
  const details = `${BLOCK}.2`;

  /** Istio's sample ext-authz server (HTTP): allows a request carrying `x-ext-authz: allow`. */
  let authorizer: http.Server;
  const checks: string[] = [];
  let authzPort = 0;

  beforeAll(async () => {
    authorizer = http.createServer((req, res) => {
      checks.push(`${req.method} ${req.url} x-ext-authz=${req.headers['x-ext-authz'] ?? ''}`);
      if (req.headers['x-ext-authz'] === 'allow') res.writeHead(200, { 'x-ext-authz-check-result': 'allowed' }).end();
      else res.writeHead(403, { 'x-ext-authz-check-result': 'denied' }).end('denied by ext_authz for not found header `x-ext-authz: allow` in the request');
    });
    authzPort = await new Promise<number>((resolve) => authorizer.listen(0, '127.0.0.1', () => resolve((authorizer.address() as net.AddressInfo).port)));
    // Istio's ext-authz task: the provider is declared in MeshConfig extensionProviders.
    const meshConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-mesh-config-')), 'mesh.yaml');
    fs.writeFileSync(meshConfig, `extensionProviders:\n- name: sample-ext-authz-http\n  envoyExtAuthzHttp:\n    service: ext-authz.foo.svc.cluster.local\n    port: "${authzPort}"\n    includeRequestHeadersInCheck: ["x-ext-authz"]\n`);
    mesh = await TestMesh.start({ ipBlock: BLOCK, gatewayIp: GATEWAY_IP, upArgs: ['--mesh-config', meshConfig] });
  });

  afterAll(async () => {
    await mesh?.stop();
    authorizer?.close();
  });

  it('serves the page over mTLS between sidecars (STRICT by default) and refuses plaintext', async () => {
    const p = await page(mesh.gateway);
    expect(p).toMatchObject({ status: 200, details: '200', reviews: '200' });
    expect(await plaintext(details, 9080)).not.toMatch(/^HTTP\/1\.1 200/);
    // Istio's probe rewrite: the kubelet's readiness probe goes to the agent, which probes the app
    // in plaintext from inside the workload, so it passes under STRICT.
    expect((await fetch(`http://${details}:15020/app-health/details-v1/readyz`)).status).toBe(200);
    expect((await fetch(`http://${details}:15020/healthz/ready`)).status).toBe(200);
  });

  it('shows each proxy its workload certificate (SPIFFE identity from Citadel) and the trust bundle', async () => {
    const r = await mesh.meshctl(['proxy-config', 'secret', 'productpage-v1']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s{3,}/));
    expect(rows.some((c) => c[1] === 'Cert Chain' && c[2] === 'ACTIVE')).toBe(true);
    expect(rows.some((c) => c[1] === 'CA' && c[2] === 'ACTIVE')).toBe(true);
    const certs = await (await fetch(`http://${BLOCK}.1:15000/certs`)).text();
    expect(certs).toContain('spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
  });

  it('PERMISSIVE accepts plaintext and mTLS on the same port; STRICT again refuses plaintext', async () => {
    await apply('peer-authentication-permissive.yaml');
    await until('plaintext accepted under PERMISSIVE', async () => /^HTTP\/1\.1 200/.test(await plaintext(details, 9080)));
    expect((await page(mesh.gateway)).details).toBe('200');
    await apply('peer-authentication-strict.yaml');
    await until('plaintext refused under STRICT', async () => !/^HTTP\/1\.1 200/.test(await plaintext(details, 9080)));
    expect((await page(mesh.gateway)).details).toBe('200');
  });

  it("Istio's HTTP authorization task: allow-nothing, then per-service viewers by SPIFFE principal", async () => {
    await apply('authz-allow-nothing.yaml');
    await until('allow-nothing denies the page', async () => {
      const p = await page(mesh.gateway);
      return p.status === 403 && p.body === 'RBAC: access denied';
    });
    await apply('authz-productpage-viewer.yaml');
    await until('the page loads, its backends denied', async () => {
      const p = await page(mesh.gateway);
      return p.status === 200 && p.details === '403' && p.reviews === '403';
    });
    await apply('authz-details-reviews-viewer.yaml');
    await until('the whole page loads', async () => {
      const p = await page(mesh.gateway);
      return p.status === 200 && p.details === '200' && p.reviews === '200' && !p.body.includes('Ratings service is currently unavailable');
    });
    // meshctl explain evaluates the policies on details' inbound listener for a given caller.
    const explain = (principal: string) => mesh.meshctl(['explain', 'details-v1', 'http://details:9080/details/0', '--inbound', '--principal', principal]);
    expect((await explain('cluster.local/ns/default/sa/bookinfo-productpage')).stdout).toMatch(/authz +envoy\.filters\.http\.rbac ALLOW: allowed \(policy ns\[default\]-policy\[details-viewer\]-rule\[0\]\)[\s\S]*=> forwarded to cluster inbound\|9080\|\|/);
    expect((await explain('cluster.local/ns/default/sa/bookinfo-reviews')).stdout).toContain('=> denied by envoy.filters.http.rbac (ALLOW): 403 RBAC: access denied');
    await apply('authz-deny-jason.yaml');
    await until('DENY before ALLOW: jason is refused, others are not', async () => (await page(mesh.gateway, { cookie: 'user=jason' })).status === 403 && (await page(mesh.gateway)).status === 200);
    for (const f of ['authz-deny-jason.yaml', 'authz-details-reviews-viewer.yaml', 'authz-productpage-viewer.yaml', 'authz-allow-nothing.yaml']) await remove(f);
    await until('policies removed', async () => (await page(mesh.gateway, { cookie: 'user=jason' })).status === 200);
  });

  it("Istio's JWT task at the ingress gateway: invalid tokens get 401, then a policy requires a valid one", async () => {
    const { jwks, token } = jwtIssuer();
    const ra = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt-example, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  jwtRules:
  - issuer: ${ISSUER}
    jwks: '${jwks}'
`;
    const requireJwt = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["${ISSUER}/${ISSUER}"]}}]
`;
    const status = async (auth?: string) => (await fetch(`${mesh.gateway}/productpage`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} })).status;
    const applyText = async (yaml: string, verb = 'apply') => expect((await mesh.meshctl([verb, '-f', '-'], yaml)).code).toBe(0);
    await applyText(ra);
    await until('an invalid token is refused', async () => (await status('not-a-token')) === 401);
    expect(await status()).toBe(200);
    expect(await status(token())).toBe(200);
    // Expired past Envoy's default 60 s clock skew.
    expect(await status(token({ exp: Math.floor(Date.now() / 1000) - 600 }))).toBe(401);
    await applyText(requireJwt);
    await until('a request without a token is denied', async () => (await status()) === 403);
    expect(await status(token())).toBe(200);
    await applyText(requireJwt, 'delete');
    await applyText(ra, 'delete');
    await until('JWT policies removed', async () => (await status('not-a-token')) === 200);
  });

  it("Istio's external authorization task: a CUSTOM policy sends /productpage to the ext-authz provider from MeshConfig", async () => {
    const serviceEntry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext-authz, namespace: foo}
spec:
  hosts: [ext-authz.foo.svc.cluster.local]
  location: MESH_INTERNAL
  ports: [{number: ${authzPort}, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1}]
`;
    const custom = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  action: CUSTOM
  provider: {name: sample-ext-authz-http}
  rules:
  - to: [{operation: {paths: ["/productpage"]}}]
`;
    const get = async (path: string, header?: string) => {
      const res = await fetch(`${mesh.gateway}${path}`, { headers: header ? { 'x-ext-authz': header } : {} });
      return { status: res.status, body: await res.text() };
    };
    const applyText = async (yaml: string, verb = 'apply') => {
      const r = await mesh.meshctl([verb, '-f', '-'], yaml);
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    await applyText(serviceEntry);
    const applied = await applyText(custom);
    expect(applied.stdout + applied.stderr).not.toMatch(/not supported/);
    await until('CUSTOM policy in force', async () => (await get('/productpage', 'deny')).status === 403);
    const denied = await get('/productpage', 'deny');
    expect(denied.body).toContain('denied by ext_authz for not found header `x-ext-authz: allow` in the request');
    expect((await get('/productpage')).status).toBe(403);
    expect((await get('/productpage', 'allow')).status).toBe(200);
    // Paths the policy does not name never reach the authorizer.
    const before = checks.length;
    expect((await get('/static/nothing-here', 'deny')).status).not.toBe(403);
    expect(checks.length).toBe(before);
    expect(checks.some((c) => c.startsWith('GET /productpage x-ext-authz=allow'))).toBe(true);
    await applyText(custom, 'delete');
    await applyText(serviceEntry, 'delete');
    await until('CUSTOM policy removed', async () => (await get('/productpage', 'deny')).status === 200);
  });
});
