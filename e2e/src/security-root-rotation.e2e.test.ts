import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Bus } from '@mizzen/bus';
import { TrustBucket, type TrustBundle } from '@mizzen/contracts';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestMesh } from './support/mesh';

const BLOCK = '127.77.12';
const GATEWAY_IP = `${BLOCK}.200`;

/** Keeps new mTLS handshakes happening under load: every second request to details opens a connection. */
const DETAILS_SHORT_CONNECTIONS = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: details
  namespace: default
spec:
  host: details
  trafficPolicy:
    connectionPool:
      http:
        maxRequestsPerConnection: 2
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
`;

const serialOf = (pem: string): string => new X509Certificate(pem).serialNumber.toLowerCase();

/** The chain a sidecar presents on its inbound mTLS port (read before the server checks our missing client certificate). */
function presentedChain(host: string, port: number): Promise<X509Certificate[]> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['istio-http/1.1', 'istio', 'http/1.1'] }, () => {
      const chain: X509Certificate[] = [];
      let c = s.getPeerCertificate(true);
      const seen = new Set<string>();
      while (c && c.raw && !seen.has(c.fingerprint256)) {
        seen.add(c.fingerprint256);
        chain.push(new X509Certificate(c.raw));
        c = c.issuerCertificate;
      }
      s.destroy();
      resolve(chain);
    });
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
  });
}

/** Whether the presented chain (leaf, intermediate) leads to `rootPem`. */
function chainsTo(chain: X509Certificate[], rootPem: string): boolean {
  const root = new X509Certificate(rootPem);
  const top = chain.find((c) => c.ca) ?? chain[chain.length - 1];
  return !!top && top.verify(root.publicKey) && chain[0].verify(top.publicKey);
}

/**
 * Root rotation on a running mesh (issue: "root rotation with no failed handshake"): Citadel
 * announces a new root, Pilot pushes it to every proxy over PCDS before it signs anything, the
 * proxies renew under it (20 s certificates), the old root retires, and Bookinfo traffic through
 * the gateway (mTLS on every hop, new handshakes all the time) never fails.
 */
describe('CA root rotation under load (meshctl up, real processes)', () => {
  let mesh: TestMesh;
  let bus: Bus;
  const bundle = async (): Promise<TrustBundle> => {
    const kv = await bus.openKv(TrustBucket.name, { history: TrustBucket.history });
    const parsed = TrustBucket.value((await kv.get(TrustBucket.bundleKey))?.value);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.value;
  };

  beforeAll(async () => {
    mesh = await TestMesh.start({ ipBlock: BLOCK, gatewayIp: GATEWAY_IP, env: { MIZZEN_CERT_TTL: '20s' } });
    bus = await Bus.connect({ url: mesh.nats.url, name: 'e2e-rotation' });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-rot-')), 'details-dr.yaml');
    fs.writeFileSync(file, DETAILS_SHORT_CONNECTIONS);
    const r = await mesh.meshctl(['apply', '-f', file]);
    expect(r.code, r.stderr).toBe(0);
  });

  afterAll(async () => {
    await bus?.close();
    await mesh?.stop();
  });

  it('trusts the new root everywhere before it signs, renews under it, retires the old one: no failed request', async () => {
    const syncz = (await (await fetch(`http://127.0.0.1:${mesh.pilotDebugPort}/debug/syncz`)).json()) as Array<{ type: string; ip: string; workload: string }>;
    const proxies = syncz.filter((p) => p.type === 'sidecar' || p.type === 'router');
    const sidecars = proxies.filter((p) => p.type === 'sidecar');
    expect(sidecars.length).toBeGreaterThanOrEqual(6);
    const rootcaSerials = async (ip: string): Promise<string[]> => {
      const certs = (await (await fetch(`http://${ip}:15000/certs`)).json()) as { certificates: Array<{ name: string; ca_cert?: Array<{ serial_number: string }> }> };
      return certs.certificates.find((c) => c.name === 'ROOTCA')?.ca_cert?.map((c) => c.serial_number) ?? [];
    };

    // Load: four clients through the gateway for the whole rotation, bounded in time and count.
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const deadline = Date.now() + 150_000;
    const loop = async () => {
      for (let i = 0; i < 20_000 && !stop && Date.now() < deadline; i++) {
        try {
          const res = await fetch(`${mesh.gateway}/productpage`);
          const body = await res.text();
          const details = /data-details-status="(\d+)"/.exec(body)?.[1];
          const reviews = /data-reviews-status="(\d+)"/.exec(body)?.[1];
          if (res.status === 200 && details === '200' && reviews === '200') ok++;
          else failures.push(`${new Date().toISOString()} ${res.status} details=${details} reviews=${reviews}`);
        } catch (e) {
          failures.push(`${new Date().toISOString()} ${(e as Error).message}`);
        }
      }
    };
    const load = Promise.all([loop(), loop(), loop(), loop()]);

    try {
      const before = await bundle();
      expect(before.roots.map((r) => r.state)).toEqual(['active']);
      const oldRoot = before.roots[0].pem;
      for (const s of sidecars) expect(chainsTo(await presentedChain(s.ip, 9080), oldRoot), s.workload).toBe(true);
      await new Promise((r) => setTimeout(r, 2000));

      // Step one: announce. The new root is pending and reaches every proxy's ROOTCA over PCDS
      // before it signs anything.
      const rotated = await mesh.meshctl(['ca', 'rotate-root', '--activation-delay', '10s', '--grace-period', '30s']);
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(rotated.stdout).toMatch(/PENDING\s+signs from/);
      const announced = await bundle();
      const pending = announced.roots.find((r) => r.state === 'pending');
      expect(pending).toBeDefined();
      const newRoot = pending!.pem;
      const activateAt = Date.parse(pending!.activateAt ?? '');
      await waitFor(
        async () => {
          for (const p of proxies) if (!(await rootcaSerials(p.ip)).includes(serialOf(newRoot))) return undefined;
          return true;
        },
        { timeoutMs: 4000, intervalMs: 200, message: 'every proxy trusts the pending root (PCDS push, long before any renewal)' },
      );
      expect(Date.now()).toBeLessThan(activateAt);
      for (const p of proxies) expect(await rootcaSerials(p.ip), p.workload).toContain(serialOf(oldRoot));

      // Step two: the new root signs; every sidecar renews under it (20 s certificates).
      await waitFor(async () => ((await bundle()).roots[0].pem === newRoot ? true : undefined), { timeoutMs: 20_000, intervalMs: 500, message: 'new root active' });
      await waitFor(
        async () => {
          for (const s of sidecars) if (!chainsTo(await presentedChain(s.ip, 9080), newRoot)) return undefined;
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 1000, message: 'every sidecar presents a certificate under the new root' },
      );

      // Step three: the old root retires from the bundle (and from PCDS).
      const retired = await waitFor(async () => {
        const b = await bundle();
        return b.roots.length === 1 ? b : undefined;
      }, { timeoutMs: 45_000, intervalMs: 1000, message: 'old root retired' });
      expect(retired.roots[0].pem).toBe(newRoot);
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      stop = true;
      await load;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(ok).toBeGreaterThan(200);

    const roots = await mesh.meshctl(['ca', 'roots']);
    expect(roots.stdout).toMatch(/ACTIVE/);
    expect(roots.stdout).not.toMatch(/RETIRING|PENDING/);
    // Every proxy is still connected to Pilot (over TLS; Pilot re-issued its serving certificate
    // under the new root) and has ACKed every type, PCDS included.
    const status = (await (await fetch(`http://127.0.0.1:${mesh.pilotDebugPort}/debug/syncz`)).json()) as Array<{ workload: string; types: Record<string, { synced: boolean }> }>;
    expect(status.length).toBe(syncz.length);
    for (const p of status.filter((x) => proxies.some((q) => q.workload === x.workload))) {
      expect(Object.keys(p.types), p.workload).toContain('PCDS');
      for (const [t, st] of Object.entries(p.types)) expect(st.synced, `${p.workload} ${t}`).toBe(true);
    }
  }, 240_000);
});
