import http from 'node:http';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.89.1.1';
const proxy = { host: IP, port: 15001 };
const AGE_MS = 400;

/** Pilot's shape for `connectionPool.tcp.maxConnectionDuration` (Istio applyConnectionPool). */
const maxAge = { typedExtensionProtocolOptions: { [FilterName.HttpProtocolOptions]: toAny(TypeUrl.HttpProtocolOptions, { commonHttpProtocolOptions: { maxConnectionDuration: { seconds: 0, nanos: AGE_MS * 1e6 } } }) } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('max_connection_duration on HTTP/1.1 upstream pools (over loopback)', () => {
  let rt: ProxyRuntime;
  let up: TestUpstream;
  /** Upstream connections (by the proxy's source port) the server saw close. */
  const closed = new Set<number>();

  beforeAll(async () => {
    // Answers with the connection's source port; `/slow` after 900 ms.
    up = await startUpstream('aged', '127.89.1.10', (req: http.IncomingMessage, res: http.ServerResponse) => {
      req.resume();
      const answer = () => res.end(String(req.socket.remotePort));
      if (req.url === '/slow') setTimeout(answer, 900);
      else answer();
    });
    up.server.on('connection', (s) => {
      const port = s.remotePort;
      s.on('close', () => port !== undefined && closed.add(port));
    });
    rt = await startRuntime({
      clusters: [b.edsCluster('aged', maxAge), b.edsCluster('plain')],
      endpoints: [b.assignment('aged', [[up.host, up.port]]), b.assignment('plain', [[up.host, up.port]])],
      listeners: [b.listener('http', IP, proxy.port, { rds: 'r' })],
      routes: [b.routeConfiguration('r', [b.vhost('svc', ['aged'], [b.routeTo('aged')]), b.vhost('plain', ['plain'], [b.routeTo('plain')])])],
    });
  });

  afterAll(async () => {
    await rt.close();
    await up.close();
  });

  const get = (host: string, path = '/') => request(proxy, { path, headers: { host } });

  it('without the limit a keep-alive connection is reused across the same pause (control)', async () => {
    const first = (await get('plain')).body;
    await sleep(AGE_MS + 150);
    expect((await get('plain')).body).toBe(first);
  });

  it('requests move to a new connection once the pooled one is older than the duration', async () => {
    const first = (await get('aged')).body;
    expect((await get('aged')).body).toBe(first);
    await sleep(AGE_MS + 150);
    const later = (await get('aged')).body;
    expect(later).not.toBe(first);
    // The aged connection is closed by the proxy, not kept idle.
    for (let i = 0; i < 50 && !closed.has(Number(first)); i++) await sleep(20);
    expect(closed.has(Number(first))).toBe(true);
  });

  it('an in-flight request on an expiring connection is not cut; the connection closes after it', async () => {
    await sleep(AGE_MS + 50);
    const slow = get('aged', '/slow');
    await sleep(AGE_MS + 150);
    const r = await slow;
    expect(r.status).toBe(200);
    const used = Number(r.body);
    expect(closed.has(used)).toBe(false);
    const next = (await get('aged')).body;
    expect(Number(next)).not.toBe(used);
    for (let i = 0; i < 50 && !closed.has(used); i++) await sleep(20);
    expect(closed.has(used)).toBe(true);
  });
});
