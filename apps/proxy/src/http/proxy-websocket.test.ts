import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { waitUntil } from '../testing/wait';
import { acceptKey, startWsEcho, wsConnect } from '../testing/websocket';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.180';
const WS = { host: IP, port: 15001 };
const NO_UPGRADES = { host: IP, port: 15002 };

describe('WebSocket upgrade through the HTTP connection manager (upgrade_configs websocket)', () => {
  let rt: ProxyRuntime;
  let echo: Awaited<ReturnType<typeof startWsEcho>>;
  const log: string[] = [];

  beforeAll(async () => {
    echo = await startWsEcho('127.0.0.181');
    const routes = b.routeConfiguration('r', [
      b.vhost('chat', ['chat:8080'], [b.routeTo('chat', { prefix: '/old' }, { prefixRewrite: '/ws' }), b.routeTo('chat', { prefix: '/' })]),
      b.vhost('empty', ['empty:8080'], [b.routeTo('empty')]),
      b.vhost('one', ['one:8080'], [b.routeTo('one')]),
    ]);
    rt = await startRuntime(
      {
        clusters: [b.staticCluster('chat', [['127.0.0.181', echo.port]]), b.edsCluster('empty'), b.staticCluster('one', [['127.0.0.181', echo.port]], { circuitBreakers: { thresholds: [{ maxRequests: { value: 1 } }] } })],
        endpoints: [b.assignment('empty', [])],
        listeners: [p.withIstioHcm(b.listener('ws', IP, WS.port, { rds: 'r' })), b.listener('plain', IP, NO_UPGRADES.port, { rds: 'r' })],
        routes: [routes],
      },
      { accessLog: (l) => log.push(l) },
    );
  });

  afterAll(async () => {
    await rt.close();
    await echo.close();
  });

  it('answers 101 with the upstream accept key and tunnels frames both ways', async () => {
    const ws = await wsConnect(WS, 'chat:8080');
    expect(ws.status).toBe(101);
    expect(ws.headers['sec-websocket-accept']).toBe(acceptKey(ws.key));
    expect(ws.headers.upgrade).toBe('websocket');
    for (const m of ['one', 'two', 'x'.repeat(300)]) expect(await ws.roundTrip(m)).toBe(`echo:${m}`);
    const seen = echo.requests.at(-1);
    expect(seen).toMatchObject({ host: 'chat:8080', upgrade: 'websocket', 'x-forwarded-proto': 'http' });
    expect(seen?.connection?.toLowerCase()).toBe('upgrade');
    // A half-close travels upstream; the server closes in turn, and the tunnel is logged.
    ws.socket?.end();
    await waitUntil(() => log.some((l) => l.includes('"GET /ws HTTP/1.1" 101 ')));
  });

  it('applies the route (prefix rewrite) before upgrading', async () => {
    const ws = await wsConnect(WS, 'chat:8080', '/old/room');
    expect(ws.status).toBe(101);
    expect(echo.requests.at(-1)?.['x-envoy-original-path']).toBe('/old/room');
    ws.socket?.destroy();
  });

  it('refuses upgrades the connection manager does not enable (403)', async () => {
    const ws = await wsConnect(NO_UPGRADES, 'chat:8080');
    expect(ws.status).toBe(403);
  });

  it("relays the upstream's refusal as a normal response", async () => {
    const ws = await wsConnect(WS, 'chat:8080', '/refuse');
    expect(ws).toMatchObject({ status: 403, body: 'nope' });
  });

  it('an open WebSocket holds a max_requests slot: a second one overflows (503 UO) until it closes', async () => {
    const first = await wsConnect(WS, 'one:8080');
    expect(first.status).toBe(101);
    const second = await wsConnect(WS, 'one:8080');
    expect(second).toMatchObject({ status: 503, headers: { 'x-envoy-overloaded': 'true' } });
    first.socket?.destroy();
    await waitUntil(() => rt.stats.scope('http', 'ws').gauge('downstream_cx_upgrades_active').value === 0);
    const third = await wsConnect(WS, 'one:8080');
    expect(await third.roundTrip('again')).toBe('echo:again');
    third.socket?.destroy();
  });

  it('answers locally when there is no route (404) or no healthy upstream (503 UH)', async () => {
    expect((await wsConnect(WS, 'unknown:8080')).status).toBe(404);
    const uh = await wsConnect(WS, 'empty:8080');
    expect(uh).toMatchObject({ status: 503, body: 'no healthy upstream' });
    await waitUntil(() => log.some((l) => l.includes(' 503 UH ')));
  });
});
