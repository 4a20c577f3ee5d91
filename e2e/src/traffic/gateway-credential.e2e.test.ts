import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestMesh } from '../support/mesh';
import { type CertFiles, makeCerts } from './support/tls';

// Istio's "Secure Gateways" task with credentialName, on the meshctl ingress gateway (Bookinfo):
// the credential is created with `meshctl create secret` (Galley validates it into NATS KV), the
// Gateway names it, Pilot serves it over SDS on the gateway's ADS stream; replacing the secret
// rotates the served certificate without a restart; a MUTUAL server with ca.crt refuses a client
// without a certificate.
const BLOCK = '127.77.13';
const GATEWAY = `${BLOCK}.200`;
const HOST = 'bookinfo.example.com';
const SIMPLE = 8443;
const MUTUAL = 9443;

interface Reply {
  status: number;
  body: string;
  /** SHA-256 fingerprint of the certificate the gateway presented. */
  peer: string;
}

/** `curl --cacert CA --resolve HOST:PORT:GATEWAY https://HOST:PORT/productpage` (optionally with a client certificate). */
function get(port: number, ca: string, client?: CertFiles): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const opts: https.RequestOptions = { host: GATEWAY, port, path: '/productpage', servername: HOST, headers: { host: HOST }, ca: fs.readFileSync(ca), agent: false, timeout: 10_000 };
    if (client) Object.assign(opts, { cert: fs.readFileSync(client.cert), key: fs.readFileSync(client.key) });
    const req = https.request(opts, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peer }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const fingerprint = (file: string): string => new X509Certificate(fs.readFileSync(file)).fingerprint256;

describe('gateway TLS with credentialName (meshctl create secret, SDS from Pilot)', () => {
  let mesh: TestMesh;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-gw-cred-'));
  const first = makeCerts(path.join(dir, 'first'), [HOST, 'client.example.com']);
  const second = makeCerts(path.join(dir, 'second'), [HOST]);

  const meshctl = async (args: string[], input?: string) => {
    const r = await mesh.meshctl(args, input);
    if (r.code !== 0) throw new Error(`meshctl ${args.join(' ')} failed (${r.code}): ${r.stderr}\n${mesh.logs()}`);
    return r;
  };

  beforeAll(async () => {
    mesh = await TestMesh.start({ ipBlock: BLOCK, gatewayIp: GATEWAY });
    const web = first.certs[HOST];
    await meshctl(['create', 'secret', 'tls', 'bookinfo-credential', '--cert', web.cert, '--key', web.key, '-n', 'istio-system']);
    await meshctl(['create', 'secret', 'generic', 'bookinfo-mutual', `--from-file=tls.crt=${web.cert}`, `--from-file=tls.key=${web.key}`, `--from-file=ca.crt=${first.ca}`, '-n', 'istio-system']);
    await meshctl(
      ['apply', '-f', '-'],
      `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: bookinfo-secure}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: ${SIMPLE}, name: https, protocol: HTTPS}
    hosts: [${HOST}]
    tls: {mode: SIMPLE, credentialName: bookinfo-credential}
  - port: {number: ${MUTUAL}, name: https-mutual, protocol: HTTPS}
    hosts: [${HOST}]
    tls: {mode: MUTUAL, credentialName: bookinfo-mutual}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookinfo-secure}
spec:
  hosts: [${HOST}]
  gateways: [bookinfo-secure]
  http:
  - route: [{destination: {host: productpage, port: {number: 9080}}}]
`,
    );
  }, 120_000);

  afterAll(async () => {
    await mesh?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the secret created by meshctl: 200 through the gateway', async () => {
    const r = await waitFor(() => get(SIMPLE, first.ca).then((x) => (x.status === 200 ? x : undefined)), { timeoutMs: 20_000, intervalMs: 250, message: `HTTPS with credentialName never answered 200\n${mesh.logs()}` });
    expect(r.peer).toBe(fingerprint(first.certs[HOST].cert));
    expect(r.body).toContain('Simple Bookstore App');
  });

  it('lists secrets without key material', async () => {
    const r = await meshctl(['get', 'secrets', '-n', 'istio-system']);
    expect(r.stdout).toMatch(/istio-system\s+bookinfo-credential\s+kubernetes.io\/tls\s+tls.crt,tls.key\s+bookinfo.example.com/);
    expect(r.stdout).toMatch(/bookinfo-mutual\s+Opaque\s+ca.crt,tls.crt,tls.key/);
    expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
    const bad = await mesh.meshctl(['create', 'secret', 'tls', 'broken', '--cert', first.certs[HOST].cert, '--key', second.certs[HOST].key, '-n', 'istio-system']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('data["tls.key"]: the private key does not match the certificate in tls.crt');
  });

  it('rotates: replacing the secret serves the new certificate without a restart, and the old one stops verifying', async () => {
    const next = second.certs[HOST];
    const gatewayPid = mesh.state().pids['istio-ingressgateway'];
    const created = await meshctl(['create', 'secret', 'tls', 'bookinfo-credential', '--cert', next.cert, '--key', next.key, '-n', 'istio-system']);
    expect(created.stdout).toContain('secret/bookinfo-credential (namespace istio-system) configured');
    const r = await waitFor(() => get(SIMPLE, second.ca).then((x) => (x.status === 200 ? x : undefined)).catch(() => undefined), { timeoutMs: 15_000, intervalMs: 250, message: 'the rotated certificate never reached the gateway' });
    expect(r.peer).toBe(fingerprint(next.cert));
    await expect(get(SIMPLE, first.ca)).rejects.toThrow();
    // The same gateway process throughout (SDS, not a restart), which logged the secret by name only.
    expect(() => process.kill(gatewayPid as number, 0)).not.toThrow();
    const log = fs.readFileSync(path.join(mesh.stateDir, 'logs', 'istio-ingressgateway.log'), 'utf8');
    expect(log).toContain('kubernetes://bookinfo-credential (certificate)');
    expect(log).not.toContain('PRIVATE KEY');
  });

  it('MUTUAL with ca.crt: a client certificate from that CA gets 200, a client without one is refused', async () => {
    const client = first.certs['client.example.com'];
    const ok = await waitFor(() => get(MUTUAL, first.ca, client).then((x) => (x.status === 200 ? x : undefined)).catch(() => undefined), { timeoutMs: 15_000, intervalMs: 250, message: 'MUTUAL never answered 200' });
    expect(ok.status).toBe(200);
    await expect(get(MUTUAL, first.ca)).rejects.toThrow();
  });

  it('deletes a secret with meshctl', async () => {
    const r = await meshctl(['delete', 'secret', 'bookinfo-mutual', '-n', 'istio-system']);
    expect(r.stdout).toContain('secret/bookinfo-mutual (namespace istio-system) deleted');
    const again = await mesh.meshctl(['delete', 'secret', 'bookinfo-mutual', '-n', 'istio-system']);
    expect(again.code).toBe(1);
  });
});
