import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayedBody } from '../testing/relayed-body';
import { Http1Exchange, parseRawHeaders } from './http1-exchange';

const HOST = '127.0.0.171';
const BIG = Buffer.alloc(1 << 20, 'b');

describe('Http1Exchange (undici dispatch, body relayed without a Readable)', () => {
  let server: http.Server;
  let pool: Pool;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return void res.end(BIG);
      if (req.url === '/trailers') {
        res.writeHead(200, { trailer: 'grpc-status' });
        res.write('part');
        res.addTrailers({ 'grpc-status': '0' });
        return void res.end();
      }
      if (req.url === '/slow') {
        res.writeHead(200);
        res.write('first');
        return; // never ends
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(`hello ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, HOST, r));
    pool = new Pool(`http://${HOST}:${(server.address() as AddressInfo).port}`, { connections: 2 });
  });
  afterAll(async () => {
    await pool.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const send = (path: string, signal = new EventEmitter()) => new Http1Exchange(signal).send(pool, { method: 'GET', path, headers: { host: 'svc' } });

  it('resolves at the headers (repeated ones as arrays) and relays the body', async () => {
    const r = await send('/x');
    expect(r.statusCode).toBe(200);
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect((await relayedBody(r.body)).text).toBe('hello /x');
  });

  it('delivers a body that completed before anyone read it', async () => {
    const r = await send('/held');
    await new Promise((res) => setTimeout(res, 50));
    expect((await relayedBody(r.body)).text).toBe('hello /held');
  });

  it('fills trailers by the time beforeEnd runs', async () => {
    const r = await send('/trailers');
    let seen: unknown;
    const { text } = await relayedBody(r.body, () => (seen = r.trailers['grpc-status']));
    expect(text).toBe('part');
    expect(seen).toBe('0');
  });

  it('keeps backpressure with a slow downstream: every byte arrives', async () => {
    const r = await send('/big');
    let received = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(c: Buffer, _e, done) {
        received += c.length;
        setImmediate(done);
      },
    });
    let counted = 0;
    await r.body.relay(slow, (c) => (counted += c.length));
    expect(received).toBe(BIG.length);
    expect(counted).toBe(BIG.length);
  });

  it('an abort mid-body fails the relay', async () => {
    const signal = new EventEmitter();
    const r = await send('/slow', signal);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const relayed = r.body.relay(sink, () => undefined);
    setTimeout(() => signal.emit('abort'), 20);
    await expect(relayed).rejects.toThrow(/abort/i);
    expect(sink.destroyed).toBe(true);
  });

  it('an abort before the headers rejects the send', async () => {
    const signal = new EventEmitter();
    const sent = send('/slow-headers', signal);
    signal.emit('abort');
    await expect(sent).rejects.toThrow(/abort/i);
  });

  it('a downstream that closes early aborts the upstream request', async () => {
    const r = await send('/slow');
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const relayed = r.body.relay(sink, () => undefined);
    setTimeout(() => sink.destroy(), 20);
    await expect(relayed).rejects.toThrow(/downstream closed/);
    // The pool still serves.
    expect((await relayedBody((await send('/after')).body)).text).toBe('hello /after');
  });

  it('dump discards the body and the pool keeps serving', async () => {
    const r = await send('/big');
    await r.dump();
    expect((await relayedBody((await send('/next')).body)).text).toBe('hello /next');
  });

  it('parseRawHeaders lower-cases names, merges repeats, and keeps __proto__ and inherited names as plain headers', () => {
    const h = parseRawHeaders([Buffer.from('X-A'), Buffer.from('1'), Buffer.from('x-a'), Buffer.from('2'), Buffer.from('__proto__'), Buffer.from('p')]);
    expect(h['x-a']).toEqual(['1', '2']);
    expect(Object.getOwnPropertyDescriptor(h, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(h)).toBe(Object.prototype);
    // A name that an object inherits is still a header of its own.
    expect(parseRawHeaders(['Constructor', 'c'])).toEqual({ constructor: 'c' });
  });
});
