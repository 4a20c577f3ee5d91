import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAppProbers } from './app-probers';
import { startStatusServer } from './status-server';

const IP = '127.0.0.81';

describe('app probers (ISTIO_KUBE_APP_PROBERS)', () => {
  it('parses http and tcp probes with Istio defaults', () => {
    const errors: { path: string; message: string }[] = [];
    const p = parseAppProbers(JSON.stringify({ '/app-health/web/readyz': { httpGet: { path: 'health', port: 9080, httpHeaders: [{ name: 'X-Probe', value: '1' }] }, timeoutSeconds: 2 }, '/app-health/web/livez': { tcpSocket: { port: 9080 } } }), errors);
    expect(errors).toEqual([]);
    expect(p.get('/app-health/web/readyz')).toEqual({ kind: 'http', port: 9080, path: '/health', scheme: 'http', headers: { 'x-probe': '1' }, timeoutMs: 2000 });
    expect(p.get('/app-health/web/livez')).toMatchObject({ kind: 'tcp', port: 9080, timeoutMs: 1000 });
  });

  it('names the key and field of every problem', () => {
    const errors: { path: string; message: string }[] = [];
    parseAppProbers(JSON.stringify({ '/health': { httpGet: { port: 9080 } }, '/app-health/web/readyz': { httpGet: { port: 'http' } }, '/app-health/web/livez': { grpc: { port: 1 } } }), errors);
    expect(errors).toEqual([
      { path: 'appProbers["/health"]', message: 'key must be /app-health/<name>/livez, readyz or startupz' },
      { path: 'appProbers["/app-health/web/readyz"].httpGet.port', message: '"http" is not a port number' },
      { path: 'appProbers["/app-health/web/livez"]', message: 'needs httpGet or tcpSocket (grpc probes are not supported)' },
    ]);
    parseAppProbers('{nope', errors);
    expect(errors.at(-1)?.path).toBe('appProbers');
  });
});

describe('status server', () => {
  let app: http.Server;
  let status: http.Server;
  let healthy = true;
  let ready = false;
  let port: number;
  const get = async (path: string) => {
    const res = await fetch(`http://${IP}:${port}${path}`);
    return res.status;
  };

  beforeAll(async () => {
    app = http.createServer((req, res) => res.writeHead(req.url === '/health' && healthy ? 200 : 503).end());
    await new Promise<void>((r) => app.listen(0, IP, () => r()));
    const appPort = (app.address() as AddressInfo).port;
    const errors: { path: string; message: string }[] = [];
    // The container port is 9080; in local mode the app listens at the inbound target.
    const probers = parseAppProbers(JSON.stringify({ '/app-health/web/readyz': { httpGet: { path: '/health', port: 9080 } }, '/app-health/web/livez': { tcpSocket: { port: 9080 } } }), errors);
    port = await freePort();
    status = await startStatusServer({ ip: IP, port, probers, inbound: [{ port: 9080, name: 'http', protocol: 'HTTP', target: `${IP}:${appPort}` }], ready: () => ready });
  });

  afterAll(async () => {
    await new Promise((r) => status.close(r));
    await new Promise((r) => app.close(r));
  });

  it('answers the app probes by probing the app directly, and /healthz/ready for the proxy', async () => {
    expect(await get('/app-health/web/readyz')).toBe(200);
    expect(await get('/app-health/web/livez')).toBe(200);
    healthy = false;
    expect(await get('/app-health/web/readyz')).toBe(500);
    expect(await get('/healthz/ready')).toBe(503);
    ready = true;
    expect(await get('/healthz/ready')).toBe(200);
    expect(await get('/app-health/other/readyz')).toBe(404);
  });

  it('fails a tcp probe when nothing listens', async () => {
    await new Promise((r) => app.close(r));
    expect(await get('/app-health/web/livez')).toBe(500);
  });
});
