import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpbinMesh } from './support/httpbin-mesh';
import { type CertFiles, makeCerts } from './support/tls';

// Istio's "TLS termination for non-HTTP traffic": a Gateway server with `protocol: TLS` and
// `tls.mode: SIMPLE` (or MUTUAL) terminates TLS at the meshctl ingress gateway and a VirtualService
// `tcp` route carries the decrypted bytes to a plain TCP echo service.
const BLOCK = '127.91.1';
const GATEWAY = `${BLOCK}.100`;
const ECHO = `${BLOCK}.50`;
const SIMPLE_PORT = 9443;
const MUTUAL_PORT = 9444;

interface Exchange {
  reply: string;
  error?: string;
  /** CN of the certificate the gateway presented. */
  peerCn: string;
}

/** One TLS connection to the gateway with SNI `servername`: writes `msg`, resolves with the first answer, an error, or a close. */
function tlsRoundTrip(port: number, servername: string, ca: string, msg: string, client?: CertFiles): Promise<Exchange> {
  return new Promise((resolve) => {
    let peerCn = '';
    const s = tls.connect({ host: GATEWAY, port, servername, ca: fs.readFileSync(ca), ...(client ? { cert: fs.readFileSync(client.cert), key: fs.readFileSync(client.key) } : {}) }, () => {
      peerCn = String(s.getPeerCertificate().subject?.CN ?? '');
      s.write(msg);
    });
    let reply = '';
    const done = (error?: string) => {
      resolve({ reply, error, peerCn });
      s.destroy();
    };
    s.setTimeout(5000, () => done('timeout'));
    s.on('data', (d: Buffer) => {
      reply += d.toString();
      done();
    });
    s.on('error', (e) => done(e.message));
    s.on('close', () => done());
  });
}

describe('gateway TLS termination for TCP (protocol TLS, SIMPLE / MUTUAL, VirtualService tcp route)', () => {
  let mesh: HttpbinMesh;
  let echo: net.Server;
  /** Every chunk the echo service received, as the backend saw it. */
  const received: Buffer[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-gw-tls-tcp-'));
  const pki = makeCerts(dir, ['echo.example.com', 'mutual-echo.example.com', 'client.example.com']);

  beforeAll(async () => {
    echo = net.createServer((s) =>
      s.on('data', (d: Buffer) => {
        received.push(d);
        s.write(`echo:${d.toString()}`);
      }),
    );
    await new Promise<void>((r) => echo.listen(7000, ECHO, r));
    mesh = await HttpbinMesh.start({ ipBlock: BLOCK, gatewayIp: GATEWAY });
    const simple = pki.certs['echo.example.com'];
    const mutual = pki.certs['mutual-echo.example.com'];
    await mesh.apply(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: echo-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: ${SIMPLE_PORT}, name: tls-echo, protocol: TLS}
    hosts: [echo.example.com]
    tls: {mode: SIMPLE, serverCertificate: ${simple.cert}, privateKey: ${simple.key}}
  - port: {number: ${MUTUAL_PORT}, name: tls-echo-mutual, protocol: TLS}
    hosts: [mutual-echo.example.com]
    tls: {mode: MUTUAL, serverCertificate: ${mutual.cert}, privateKey: ${mutual.key}, caCertificates: ${pki.ca}}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: tcp-echo}
spec:
  hosts: [tcp-echo.default.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 7000, name: tcp, protocol: TCP}]
  endpoints: [{address: ${ECHO}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: tcp-echo}
spec:
  hosts: [echo.example.com, mutual-echo.example.com]
  gateways: [echo-gateway]
  tcp:
  - route: [{destination: {host: tcp-echo.default.svc.cluster.local, port: {number: 7000}}}]
`);
    await mesh.waitForConfig(GATEWAY, 'the TLS gateway listeners', (d) => {
      const ports = d.values('portValue');
      return ports.includes(SIMPLE_PORT) && ports.includes(MUTUAL_PORT);
    });
  });

  afterAll(async () => {
    await mesh?.stop();
    await new Promise((r) => echo?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SIMPLE: the gateway presents its certificate, the echo service sees plaintext and the client gets the echo', async () => {
    let x: Exchange | undefined;
    await waitFor(
      async () => {
        x = await tlsRoundTrip(SIMPLE_PORT, 'echo.example.com', pki.ca, 'hello over tls');
        return x.reply !== '';
      },
      { timeoutMs: 10_000, intervalMs: 200, message: 'the TLS server never echoed' },
    );
    expect(x).toMatchObject({ reply: 'echo:hello over tls', peerCn: 'echo.example.com' });
    expect(Buffer.concat(received).toString()).toContain('hello over tls');
    // No TLS record (handshake 0x16 / application data 0x17) reached the backend.
    expect(received.every((c) => c[0] !== 0x16 && c[0] !== 0x17)).toBe(true);
  });

  it('an SNI name the server does not list matches no filter chain and gets no echo', async () => {
    const x = await tlsRoundTrip(SIMPLE_PORT, 'other.example.com', pki.ca, 'not for you');
    expect(x.reply).toBe('');
  });

  it('MUTUAL: a client certificate from the CA gets the echo; a client without one is refused', async () => {
    const client = pki.certs['client.example.com'];
    let x: Exchange | undefined;
    await waitFor(
      async () => {
        x = await tlsRoundTrip(MUTUAL_PORT, 'mutual-echo.example.com', pki.ca, 'mutual hello', client);
        return x.reply !== '';
      },
      { timeoutMs: 10_000, intervalMs: 200, message: 'the MUTUAL TLS server never echoed' },
    );
    expect(x).toMatchObject({ reply: 'echo:mutual hello', peerCn: 'mutual-echo.example.com' });
    const before = received.length;
    const refused = await tlsRoundTrip(MUTUAL_PORT, 'mutual-echo.example.com', pki.ca, 'no certificate');
    expect(refused.reply).toBe('');
    expect(received.length).toBe(before);
  });
});
