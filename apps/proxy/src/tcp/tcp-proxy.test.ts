import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import * as p from '../testing/protocol-builders';
import { applyConfig, startRuntime } from '../testing/runtime-harness';
import { type TcpServer, answerWith, closedPort, collect, connect, startTcpServer } from '../testing/sockets';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';
import { pickTcpCluster } from './tcp-proxy';

const IP = '127.0.0.130';

const listeners = () => [
  p.tcpListener('outbound_tcp_9000', IP, 9000, 'echo'),
  p.tcpListener('outbound_tcp_9001', IP, 9001, [['a', 3], ['b', 1]]),
  p.tcpListener('outbound_tcp_9002', IP, 9002, 'silent', { idleTimeout: { seconds: 0, nanos: 200_000_000 } }),
  p.tcpListener('outbound_tcp_9003', IP, 9003, 'dead'),
  p.tcpListener('outbound_tcp_9004', IP, 9004, 'dead-then-echo', { maxConnectAttempts: { value: 2 } }),
  p.tcpListener('outbound_tcp_9005', IP, 9005, 'empty'),
  p.tcpListener('outbound_tcp_9006', IP, 9006, 'no-such-cluster'),
  p.tcpListener('outbound_tcp_9008', IP, 9008, 'one-cx'),
];

describe('tcp_proxy: raw TCP through the sidecar (loopback sockets)', () => {
  let rt: ProxyRuntime;
  let echo: TcpServer;
  let a: TcpServer;
  let bb: TcpServer;
  let silent: TcpServer;
  const log: string[] = [];

  beforeAll(async () => {
    echo = await startTcpServer('127.0.0.131');
    a = await startTcpServer('127.0.0.132', answerWith('a'));
    bb = await startTcpServer('127.0.0.133', answerWith('b'));
    silent = await startTcpServer('127.0.0.134', () => undefined);
    const dead = await closedPort('127.0.0.135');
    let i = 0;
    rt = await startRuntime(
      {
        clusters: [
          b.staticCluster('echo', [[echo.host, echo.port]]),
          b.staticCluster('a', [[a.host, a.port]]),
          b.staticCluster('b', [[bb.host, bb.port]]),
          b.staticCluster('silent', [[silent.host, silent.port]]),
          b.staticCluster('dead', [['127.0.0.135', dead]]),
          b.staticCluster('dead-then-echo', [['127.0.0.135', dead], [echo.host, echo.port]]),
          b.edsCluster('empty'),
          b.staticCluster('one-cx', [[echo.host, echo.port]], { circuitBreakers: { thresholds: [{ maxConnections: { value: 1 } }] } }),
        ],
        endpoints: [b.assignment('empty', [])],
        listeners: [...listeners(), p.tcpListener('outbound_tcp_9007', IP, 9007, 'echo')],
      },
      // A fixed sequence: weighted picks land 3:1 over each block of four connections.
      { accessLog: (l) => log.push(l), rng: () => [0.1, 0.4, 0.6, 0.9][i++ % 4] },
    );
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all([echo, a, bb, silent].map((s) => s.close()));
  });

  it('pipes bytes both ways and passes a half-close on (the upstream still answers after our FIN)', async () => {
    const s = await connect(IP, 9000);
    const got = collect(s);
    s.write('hello ');
    s.write('world');
    await new Promise((r) => setTimeout(r, 50));
    s.end();
    expect(await got).toEqual({ data: 'hello worldbye', ended: true, error: undefined });
    await waitUntil(() => log.some((l) => l.includes(`"${echo.host}:${echo.port}"`)));
    expect(log.find((l) => l.includes(`${echo.host}:${echo.port}`))).toMatch(/"- - -" 0 - 11 14 \d+ - "-" "-" "-" "-" "127\.0\.0\.131:\d+"$/);
    expect(rt.stats.scope('tcp', 'outbound_tcp_9000').counter('downstream_cx_total').value).toBe(1);
    expect(rt.stats.scope('cluster', 'echo').counter('upstream_cx_tx_bytes_total').value).toBe(11);
  });

  it('splits connections over weighted clusters', async () => {
    const names: string[] = [];
    for (let n = 0; n < 8; n++) {
      const s = await connect(IP, 9001);
      const got = collect(s);
      s.write('?');
      names.push((await got).data);
    }
    expect(names.filter((x) => x === 'a')).toHaveLength(6);
    expect(names.filter((x) => x === 'b')).toHaveLength(2);
  });

  it('closes both sides after the idle timeout', async () => {
    const s = await connect(IP, 9002);
    const t0 = Date.now();
    const got = await collect(s);
    expect(got.data).toBe('');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(rt.stats.scope('tcp', 'outbound_tcp_9002').counter('idle_timeout').value).toBe(1);
  });

  it('closes the downstream when the upstream refuses (flag UF)', async () => {
    const s = await connect(IP, 9003);
    expect((await collect(s)).data).toBe('');
    await waitUntil(() => log.some((l) => l.includes(' UF ')));
    expect(rt.stats.scope('cluster', 'dead').counter('upstream_cx_connect_fail').value).toBe(1);
  });

  it('tries another host up to max_connect_attempts', async () => {
    const s = await connect(IP, 9004);
    const got = collect(s);
    s.end('x');
    expect((await got).data).toBe('xbye');
  });

  it('a config change applies to new connections while open ones carry on', async () => {
    const open = await connect(IP, 9007);
    const first = new Promise<string>((r) => open.once('data', (d: Buffer) => r(d.toString())));
    open.write('ping');
    expect(await first).toBe('ping');
    await applyConfig(rt, { listeners: [...listeners(), p.tcpListener('outbound_tcp_9007', IP, 9007, 'a')] });
    const again = new Promise<string>((r) => open.once('data', (d: Buffer) => r(d.toString())));
    open.write('still');
    expect(await again).toBe('still');
    const fresh = await connect(IP, 9007);
    const got = collect(fresh);
    fresh.write('?');
    expect((await got).data).toBe('a');
    open.destroy();
  });

  it('refuses connections past the cluster max_connections (flag UO), and takes them again once one closes', async () => {
    const first = await connect(IP, 9008);
    const echoed = new Promise<string>((r) => first.once('data', (d: Buffer) => r(d.toString())));
    first.write('1');
    expect(await echoed).toBe('1');
    const second = await connect(IP, 9008);
    expect((await collect(second)).data).toBe('');
    expect(rt.stats.scope('cluster', 'one-cx').counter('upstream_cx_overflow').value).toBe(1);
    first.destroy();
    await waitUntil(() => rt.stats.scope('cluster', 'one-cx').gauge('upstream_cx_active').value === 0);
    const third = await connect(IP, 9008);
    const got = collect(third);
    third.end('3');
    expect((await got).data).toBe('3bye');
  });

  it.each([
    [9005, 'UH'],
    [9006, 'NC'],
  ])('port %i: no host / no cluster closes the connection (flag %s)', async (port, flag) => {
    const s = await connect(IP, port);
    expect((await collect(s)).data).toBe('');
    await waitUntil(() => log.some((l) => l.includes(`" 0 ${flag} `)));
  });
});

describe('pickTcpCluster', () => {
  it('walks the cumulative weights', () => {
    const cfg = { statPrefix: 's', clusters: [{ name: 'x', weight: 1 }, { name: 'y', weight: 3 }], totalWeight: 4, idleTimeoutMs: 0, maxConnectAttempts: 1 };
    expect([0, 0.24, 0.25, 0.99].map((r) => pickTcpCluster(cfg, () => r))).toEqual(['x', 'x', 'y', 'y']);
  });
});
