import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsStore } from '../stats';
import { closedPort } from '../testing/sockets';
import { H2ClientPool, type H2PoolOptions } from './h2-client-pool';
import { h2RequestHeaders, sendH2Attempt } from './h2-attempt';
import { EventEmitter } from 'node:events';
import type { UpstreamHost } from '../upstream';
import { relayedBody } from '../testing/relayed-body';

const HOST = '127.0.0.170';

/** Holds every request until `release()`; answers `<session id> <path>`. */
async function startH2(maxConcurrentStreams: number): Promise<{ port: number; sessions: number; release(): void; close(): void }> {
  const held: Array<() => void> = [];
  const ids = new Map<http2.Http2Session, number>();
  const server = http2.createServer({ settings: { maxConcurrentStreams } });
  server.on('session', (s) => ids.set(s, ids.size + 1));
  server.on('stream', (stream, headers) => {
    const answer = (): void => {
      stream.respond({ ':status': 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(`${ids.get(stream.session!)} ${headers[':path']}`);
    };
    if (headers[':path'] === '/hold') held.push(answer);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, HOST, () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    get sessions() {
      return ids.size;
    },
    release: () => held.splice(0).forEach((f) => f()),
    close: () => server.close(),
  };
}

const options = (port: number, over: Partial<H2PoolOptions> = {}): H2PoolOptions => ({
  host: HOST,
  port,
  connectTimeoutMs: 1000,
  maxConcurrentStreams: 100,
  maxRequestsPerConnection: 0,
  idleTimeoutMs: 0,
  maxConnectionDurationMs: 0,
  stats: new StatsStore().scope('cluster', 'c'),
  onConnect: () => undefined,
  onDisconnect: () => undefined,
  ...over,
});

function body(stream: http2.ClientHttp2Stream): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    stream.on('data', (d: Buffer) => (s += d.toString()));
    stream.on('end', () => resolve(s));
  });
}

describe('H2ClientPool (h2c sessions per upstream host)', () => {
  let srv: Awaited<ReturnType<typeof startH2>>;
  beforeAll(async () => (srv = await startH2(2)));
  afterAll(() => srv.close());

  it("opens another session only when the peer's max_concurrent_streams are in use", async () => {
    const pool = new H2ClientPool(options(srv.port));
    const before = srv.sessions;
    const held = await Promise.all([1, 2, 3].map(() => pool.request(h2RequestHeaders('GET', '/hold', { host: 'x' }), true)));
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.connections).toBe(2);
    expect(srv.sessions - before).toBe(2);
    srv.release();
    const answers = await Promise.all(held.map(body));
    expect(answers.map((a) => a.split(' ')[1])).toEqual(['/hold', '/hold', '/hold']);
    await pool.close();
  });

  it('rotates sessions after max_requests_per_connection', async () => {
    const pool = new H2ClientPool(options(srv.port, { maxRequestsPerConnection: 2 }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await body(await pool.request(h2RequestHeaders('GET', '/x', { host: 'x' }), true))).split(' ')[0]);
    expect(new Set(ids).size).toBe(2);
    await pool.close();
  });

  it('drains a session older than max_connection_duration: new streams go to a new session, the in-flight one finishes', async () => {
    let disconnects = 0;
    const pool = new H2ClientPool(options(srv.port, { maxConnectionDurationMs: 300, onDisconnect: () => disconnects++ }));
    const first = (await body(await pool.request(h2RequestHeaders('GET', '/a', { host: 'x' }), true))).split(' ')[0];
    const held = await pool.request(h2RequestHeaders('GET', '/hold', { host: 'x' }), true);
    const heldBody = body(held);
    await new Promise((r) => setTimeout(r, 450));
    // Past the age: the old session takes no new stream but keeps the held one open.
    const next = (await body(await pool.request(h2RequestHeaders('GET', '/b', { host: 'x' }), true))).split(' ')[0];
    expect(next).not.toBe(first);
    expect(disconnects).toBe(0);
    srv.release();
    expect(await heldBody).toBe(`${first} /hold`);
    // Then the drained session closes.
    for (let i = 0; i < 50 && disconnects < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(disconnects).toBe(1);
    expect(pool.connections).toBe(1);
    await pool.close();
  });

  it('an attempt resolves at headers; trailers arrive with the end of the body', async () => {
    const pool = new H2ClientPool(options(srv.port));
    const host = { h2: pool } as Pick<UpstreamHost, 'h2'> as UpstreamHost;
    const r = await sendH2Attempt(pool, { host, protocol: 'http2', method: 'GET', path: '/t', headers: { host: 'svc' }, signal: new EventEmitter(), aborted: () => false });
    expect(r.kind).toBe('response');
    if (r.kind !== 'response') return;
    expect(r.data.statusCode).toBe(200);
    expect((await relayedBody(r.data.body)).text).toMatch(/ \/t$/);
    expect(r.data.trailers['grpc-status']).toBe('0');
    await pool.close();
  });

  it('a refused connection is a connect failure (flag UF), counted', async () => {
    const stats = new StatsStore().scope('cluster', 'dead');
    const pool = new H2ClientPool(options(await closedPort(HOST), { stats }));
    const host = { h2: pool } as Pick<UpstreamHost, 'h2'> as UpstreamHost;
    const r = await sendH2Attempt(pool, { host, protocol: 'http2', method: 'GET', path: '/', headers: {}, signal: new EventEmitter(), aborted: () => false });
    expect(r).toMatchObject({ kind: 'connect-failure' });
    expect(stats.counter('upstream_cx_connect_fail').value).toBe(1);
  });
});
