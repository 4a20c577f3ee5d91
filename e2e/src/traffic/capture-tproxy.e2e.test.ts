import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESHCTL, REPO } from '../support/mesh';
import { NetNs, netnsUnavailable } from '../support/netns';
import { ECHO_SERVER, L4Client, type L4Outcome } from './support/l4-probe';
import { makeCerts } from './support/tls';

/**
 * TPROXY capture end to end: everything runs in a network namespace of the test's own where
 * 10.123.0.0/16 is routed as local, so the sidecar's `0.0.0.0:<port>` listeners accept
 * connections to those addresses and see the address the client dialled, as an Istio sidecar
 * with TPROXY interception does. No 10.x traffic ever leaves that namespace.
 */
const skip = netnsUnavailable();
const NS = `mizzen-e2e-tproxy-${process.pid}`;
const CLIENT_IP = '127.93.1.2';
const ECHO = { v1: '127.93.1.11', v2: '127.93.1.12', tls: '127.93.1.13' };
const NATS_PORT = 4222;
const PILOT_PORT = 15010;

const CONFIG = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: echo}
spec:
  hosts: [echo.example.com]
  addresses: [10.123.5.0/24]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 7000, name: tcp-echo, protocol: TCP, targetPort: 17000}]
  endpoints:
  - {address: ${ECHO.v1}, labels: {version: v1}}
  - {address: ${ECHO.v2}, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo.example.com
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo}
spec:
  hosts: [echo.example.com]
  tcp:
  - match: [{destinationSubnets: [10.123.5.7/32]}]
    route: [{destination: {host: echo.example.com, subset: v2, port: {number: 7000}}}]
  - route: [{destination: {host: echo.example.com, subset: v1, port: {number: 7000}}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: secure}
spec:
  hosts: [secure.example.com]
  addresses: [10.123.6.0/24]
  location: MESH_EXTERNAL
  resolution: STATIC
  ports: [{number: 7443, name: tls, protocol: TLS, targetPort: 17443}]
  endpoints: [{address: ${ECHO.tls}}]
`;

describe.skipIf(skip !== undefined)(`TPROXY capture: destinationSubnets and ServiceEntry addresses${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ns: NetNs;
  let client: L4Client;
  let applied = { code: null as number | null, stdout: '', stderr: '' };
  let ca = '';
  let dir = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-e2e-tproxy-'));
    ns = NetNs.create(NS, ['10.123.0.0/16']);
    const certs = makeCerts(dir, ['secure.example.com']);
    ca = fs.readFileSync(certs.ca, 'utf8');
    const natsUrl = `nats://127.0.0.1:${NATS_PORT}`;
    await ns.spawn('nats-server', ['-a', '127.0.0.1', '-p', String(NATS_PORT), '-js', '-sd', dir], { name: 'nats-server', readyLine: /Server is ready/, killTimeoutMs: 5000 });
    await ns.spawn(process.execPath, [path.join(REPO, 'apps/galley/dist/main.js'), '--nats', natsUrl], { name: 'galley', readyLine: /galley ready/, readyTimeoutMs: 20_000 });
    await ns.spawn(process.execPath, [path.join(REPO, 'apps/pilot/dist/main.js'), '--nats', natsUrl, '--grpc-port', String(PILOT_PORT), '--debug-port', '15014'], {
      name: 'pilot',
      readyLine: /pilot ready/,
      readyTimeoutMs: 20_000,
    });
    const echo = (name: string, ip: string, port: number, tls?: { cert: string; key: string }) =>
      ns.spawn(process.execPath, ['-e', ECHO_SERVER, name, ip, String(port), ...(tls ? [tls.cert, tls.key] : [])], { name: `echo-${name}`, readyLine: /echo ready/ });
    await Promise.all([echo('v1', ECHO.v1, 17000), echo('v2', ECHO.v2, 17000), echo('secure', ECHO.tls, 17443, certs.certs['secure.example.com'])]);
    applied = await ns.run(process.execPath, [MESHCTL, 'apply', '-f', '-'], { input: CONFIG, env: { NATS_URL: natsUrl } });
    expect(applied.code, applied.stderr).toBe(0);
    await ns.spawn(
      process.execPath,
      [
        path.join(REPO, 'apps/proxy/dist/main.js'),
        ...['--type', 'sidecar', '--ip', CLIENT_IP, '--namespace', 'default', '--workload', 'tproxy-client', '--labels', 'app=tproxy-client'],
        ...['--pilot', `127.0.0.1:${PILOT_PORT}`, '--access-log', 'off', '--interception-mode', 'TPROXY'],
      ],
      { name: 'tproxy-sidecar', readyLine: /proxy ready/, readyTimeoutMs: 20_000 },
    );
    client = L4Client.start(ns);
  });

  afterAll(async () => {
    await ns?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const reply = (o: L4Outcome): string => ('reply' in o ? o.reply : `error: ${o.error}`);
  const tcp = async (host: string, msg = 'ping') => reply(await client.send({ host, port: 7000, msg }));

  it('Galley accepts the config and warns that these fields apply only to TPROXY sidecars', () => {
    const out = applied.stdout + applied.stderr;
    expect(out).toContain('spec.addresses');
    expect(out).toContain('spec.tcp[0].match[0].destinationSubnets');
    expect(out).toContain('applies only to sidecars in TPROXY capture mode');
  });

  it('routes by original destination: 10.123.5.7 (destinationSubnets /32) to v2, the rest of the ServiceEntry /24 to v1', async () => {
    await waitFor(async () => (await tcp('10.123.5.7')) === 'v2:ping', { timeoutMs: 15_000, intervalMs: 100, message: 'TPROXY listener with the destinationSubnets chain not applied' });
    for (let i = 0; i < 5; i++) {
      expect(await tcp('10.123.5.7', `a${i}`)).toBe(`v2:a${i}`);
      expect(await tcp('10.123.5.8', `b${i}`)).toBe(`v1:b${i}`);
      expect(await tcp('10.123.5.200', `c${i}`)).toBe(`v1:c${i}`);
    }
  });

  it('closes connections to an address of no service on the captured port (no fallback chain)', async () => {
    expect(await tcp('10.123.99.1')).toMatch(/^error: /);
  });

  it('still passes TLS through by SNI to a ServiceEntry CIDR, end to end with the backend certificate', async () => {
    const tls = (servername: string, host = '10.123.6.9') => client.send({ host, port: 7443, msg: 'hello', servername, ca });
    await waitFor(async () => reply(await tls('secure.example.com')) === 'secure:hello', { timeoutMs: 10_000, intervalMs: 100, message: 'TLS passthrough not applied' });
    expect(reply(await tls('secure.example.com', '10.123.6.200'))).toBe('secure:hello');
    // SNI of no service: the chain's server_names do not match, the sidecar closes the connection.
    expect(reply(await tls('other.example.com'))).toMatch(/^error: /);
  });
});
