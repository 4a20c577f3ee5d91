import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { InboundPort } from '@mizzen/mesh-model';
import { type AppProbe, type AppProbers, probeAddress } from './app-probers';

export interface StatusServerOptions {
  ip: string;
  port: number;
  probers: AppProbers;
  inbound: readonly InboundPort[];
  /** The proxy has its initial config and listeners (Istio: the agent's readiness). */
  ready: () => boolean;
}

/** Runs one probe against the application directly (not through the sidecar): true when it passes. */
export function runProbe(probe: AppProbe, host: string, port: number): Promise<boolean> {
  if (probe.kind === 'tcp') {
    return new Promise((resolve) => {
      const s = net.connect({ host, port });
      const done = (ok: boolean) => {
        s.destroy();
        resolve(ok);
      };
      s.setTimeout(probe.timeoutMs, () => done(false));
      s.once('connect', () => done(true));
      s.once('error', () => done(false));
    });
  }
  const client = probe.scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    // kubelet semantics: 200-399 passes; https probes do not verify the certificate.
    const req = client.get({ host, port, path: probe.path, headers: { 'user-agent': 'kube-probe/mizzen', ...probe.headers }, timeout: probe.timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) >= 200 && (res.statusCode ?? 500) < 400);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/**
 * The agent's status port (Istio's pilot-agent on 15020): `/healthz/ready` for the proxy itself,
 * and `/app-health/<name>/<livez|readyz|startupz>` for the application probes the injector
 * rewrote (ISTIO_KUBE_APP_PROBERS). Probes reach the app in plaintext from inside the workload, so
 * they keep working when PeerAuthentication is STRICT and the sidecar refuses plaintext.
 * https://istio.io/latest/docs/ops/configuration/mesh/app-health-check/
 */
export async function startStatusServer(o: StatusServerOptions): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    if (path === '/healthz/ready') return reply(o.ready() ? 200 : 503, o.ready() ? 'ready\n' : 'not ready\n');
    const probe = o.probers.get(path);
    if (!probe) return reply(404, `no prober for ${path}\n`);
    const { host, port } = probeAddress(probe, o.ip, o.inbound);
    void runProbe(probe, host, port).then((ok) => reply(ok ? 200 : 500, ok ? 'ok\n' : `probe of ${host}:${port}${probe.kind === 'http' ? probe.path : ''} failed\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.ip, () => resolve());
  });
  return server;
}
