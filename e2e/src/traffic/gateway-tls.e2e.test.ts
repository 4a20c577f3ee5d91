import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@mizzen/testkit';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_PORT, HttpbinMesh } from './support/httpbin-mesh';
import { httpsGet, type HttpsReply, makeCerts } from './support/tls';

// Istio's "Secure Gateways" (SIMPLE TLS from certificate files, httpsRedirect, MUTUAL with a
// caCertificates file) and "Ingress Gateway without TLS Termination" (PASSTHROUGH by SNI) tasks on
// the meshctl ingress gateway, plus an HTTP and an HTTPS server for "*" sharing one port.
const BLOCK = '127.77.7';
const GATEWAY = `${BLOCK}.100`;
const NGINX = `${BLOCK}.50`;

describe('gateway TLS: SIMPLE termination, httpsRedirect, passthrough by SNI (httpbin)', () => {
  let mesh: HttpbinMesh;
  let nginx: https.Server;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-gw-tls-'));
  const pki = makeCerts(dir, ['httpbin.example.com', 'nginx.example.com', '*.mixed.example.com', 'mutual.example.com', 'client.example.com']);

  beforeAll(async () => {
    // The passthrough backend terminates TLS itself with its own certificate (Istio's my-nginx).
    const cert = pki.certs['nginx.example.com'];
    nginx = https.createServer({ cert: fs.readFileSync(cert.cert), key: fs.readFileSync(cert.key) }, (_req, res) => res.end('hello from my-nginx'));
    await new Promise<void>((r) => nginx.listen(8443, NGINX, r));
    mesh = await HttpbinMesh.start({ ipBlock: BLOCK, gatewayIp: GATEWAY });
    const web = pki.certs['httpbin.example.com'];
    const mixed = pki.certs['*.mixed.example.com'];
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: httpbin-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: [httpbin.example.com]
    tls: {httpsRedirect: true}
  - port: {number: 8443, name: https, protocol: HTTPS}
    hosts: [httpbin.example.com]
    tls: {mode: SIMPLE, serverCertificate: ${web.cert}, privateKey: ${web.key}}
  - port: {number: 8443, name: tls-passthrough, protocol: TLS}
    hosts: [nginx.example.com]
    tls: {mode: PASSTHROUGH}
  - port: {number: 8444, name: https-mutual, protocol: HTTPS}
    hosts: [mutual.example.com]
    tls: {mode: MUTUAL, serverCertificate: ${pki.certs['mutual.example.com'].cert}, privateKey: ${pki.certs['mutual.example.com'].key}, caCertificates: ${pki.ca}, subjectAltNames: [client.example.com]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin.example.com, mutual.example.com]
  gateways: [httpbin-gateway]
  http:
  - route: [{destination: {host: httpbin, port: {number: ${HTTP_PORT}}}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: my-nginx}
spec:
  hosts: [my-nginx.default.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 8443, name: https, protocol: HTTPS}]
  endpoints: [{address: ${NGINX}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: nginx}
spec:
  hosts: [nginx.example.com]
  gateways: [httpbin-gateway]
  tls:
  - match: [{port: 8443, sniHosts: [nginx.example.com]}]
    route: [{destination: {host: my-nginx.default.svc.cluster.local, port: {number: 8443}}}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: mixed-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 9090, name: http, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 9090, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, serverCertificate: ${mixed.cert}, privateKey: ${mixed.key}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: mixed}
spec:
  hosts: ["*"]
  gateways: [mixed-gateway]
  http:
  - route: [{destination: {host: httpbin, port: {number: ${HTTP_PORT}}}}]
`);
    await mesh.waitForConfig(GATEWAY, 'the gateway listeners', (d) => {
      const ports = d.values('portValue');
      return ports.includes(8443) && ports.includes(8444) && ports.includes(9090);
    });
  });

  afterAll(async () => {
    await mesh?.stop();
    nginx?.closeAllConnections();
    await new Promise((r) => nginx?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('terminates HTTPS with the certificate files and routes to httpbin', async () => {
    // The listener may still be warming for its route config right after the dump showed it.
    let r: HttpsReply | undefined;
    await waitFor(
      async () => {
        r = await httpsGet(GATEWAY, 8443, 'httpbin.example.com', '/headers', pki.ca).catch(() => undefined);
        return r?.status === 200;
      },
      { timeoutMs: 10_000, intervalMs: 200, message: 'HTTPS never answered 200' },
    );
    if (!r) throw new Error('unreachable');
    expect(r.peerCn).toBe('httpbin.example.com');
    expect(r.headers['x-httpbin-pod']).toMatch(/^httpbin-v[12]$/);
    const seen = JSON.parse(r.body) as { headers: Record<string, string> };
    expect(seen.headers['x-forwarded-proto']).toBe('https');
  });

  it('redirects plain HTTP to HTTPS (httpsRedirect)', async () => {
    const res = await request(`http://${GATEWAY}:8080/headers`, { headers: { host: 'httpbin.example.com' } });
    await res.body.dump();
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('https://httpbin.example.com/headers');
  });

  it('passes TLS through by SNI: the client sees the backend certificate, not the gateway', async () => {
    const r = await httpsGet(GATEWAY, 8443, 'nginx.example.com', '/', pki.ca);
    expect(r.status).toBe(200);
    expect(r.peerCn).toBe('nginx.example.com');
    expect(r.body).toBe('hello from my-nginx');
    expect(r.headers['x-httpbin-pod']).toBeUndefined();
  });

  it('serves HTTP and HTTPS for "*" on one port (TLS chain matched on the transport protocol)', async () => {
    const plain = await request(`http://${GATEWAY}:9090/get`, { headers: { host: 'anything.example.org' } });
    const plainBody = (await plain.body.json()) as { headers: Record<string, string> };
    expect(plain.statusCode).toBe(200);
    expect(plainBody.headers['x-forwarded-proto']).toBe('http');
    const tls = await httpsGet(GATEWAY, 9090, 'a.mixed.example.com', '/get', pki.ca);
    expect(tls.status).toBe(200);
    expect(tls.peerCn).toBe('*.mixed.example.com');
    expect((JSON.parse(tls.body) as { headers: Record<string, string> }).headers['x-forwarded-proto']).toBe('https');
  });

  it('MUTUAL with a caCertificates file: curl with a client certificate from the CA gets 200, without one it is refused', async () => {
    const client = pki.certs['client.example.com'];
    const curl = (withCert: boolean) => {
      const args = ['-sS', '--max-time', '10', '--cacert', pki.ca, '--resolve', `mutual.example.com:8444:${GATEWAY}`, '-o', '/dev/null', '-w', '%{http_code}', 'https://mutual.example.com:8444/headers'];
      if (withCert) args.push('--cert', client.cert, '--key', client.key);
      const r = spawnSync('curl', args, { encoding: 'utf8', timeout: 15_000 });
      return { exitCode: r.status, status: r.stdout };
    };
    await waitFor(async () => curl(true).status === '200', { timeoutMs: 10_000, intervalMs: 200, message: 'MUTUAL HTTPS never answered 200' });
    const refused = curl(false);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.status).toBe('000');
  });
});
