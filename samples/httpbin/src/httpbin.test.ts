import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindStreamer, type CountReply, type CountRequest, createStreamerServer, SENT_TRAILER, streamerService } from './server/grpc-streamer';
import { createHttpbinApp, POD_HEADER } from './server/http-app';
import { acceptKey, encodeFrame, FrameDecoder, Opcode } from './server/websocket';

const ID = { pod: 'httpbin-test', version: 'v9' };

/** GET with an explicit Host header (fetch does not allow setting it); resolves with the status. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('httpbin HTTP endpoints', () => {
  const app = createHttpbinApp(ID);
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer(app.onRequest);
    server.on('upgrade', app.onUpgrade);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  });

  it('echoes request headers and names the pod', async () => {
    const res = await fetch(`${base}/headers`, { headers: { 'x-probe': 'yes' } });
    expect(res.headers.get(POD_HEADER)).toBe('httpbin-test');
    const body = (await res.json()) as { headers: Record<string, string>; version: string };
    expect(body.headers['x-probe']).toBe('yes');
    expect(body.version).toBe('v9');
  });

  it('answers /status/<code> and 404 for unknown paths', async () => {
    expect((await fetch(`${base}/status/418`)).status).toBe(418);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('fails /flaky/<n>/<key> n times per key, then succeeds', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${base}/flaky/2/k1`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect((await fetch(`${base}/flaky/2/k2`)).status).toBe(503);
  });

  it('injects a fault on every non-admin request until it is cleared, and logs requests', async () => {
    await fetch(`${base}/admin/requests`, { method: 'DELETE' });
    expect((await fetch(`${base}/admin/fault?status=500`, { method: 'PUT' })).status).toBe(200);
    expect((await fetch(`${base}/get`)).status).toBe(500);
    await fetch(`${base}/admin/fault`, { method: 'DELETE' });
    expect(await getWithHost(`${base}/get`, 'httpbin-shadow:8000')).toBe(200);
    const log = (await (await fetch(`${base}/admin/requests`)).json()) as { requests: Array<{ path: string; host: string }> };
    expect(log.requests.map((r) => r.path)).toEqual(['/get', '/get']);
    expect(log.requests[1].host).toBe('httpbin-shadow:8000');
  });

  it('echoes WebSocket messages after a valid handshake', async () => {
    const port = (server.address() as AddressInfo).port;
    const key = randomBytes(16).toString('base64');
    const sock = net.connect(port, '127.0.0.1');
    const decoder = new FrameDecoder();
    let handshake = '';
    const frames: Array<{ opcode: number; text: string }> = [];
    const done = new Promise<void>((resolve, reject) => {
      sock.on('data', (d: Buffer) => {
        if (!handshake.includes('\r\n\r\n')) {
          handshake += d.toString('latin1');
          const end = handshake.indexOf('\r\n\r\n');
          if (end < 0) return;
          const rest = Buffer.from(handshake.slice(end + 4), 'latin1');
          handshake = handshake.slice(0, end + 4);
          sock.write(encodeFrame({ fin: true, opcode: Opcode.text, payload: Buffer.from('hello') }, randomBytes(4)));
          sock.write(encodeFrame({ fin: true, opcode: Opcode.binary, payload: Buffer.alloc(70_000, 7) }, randomBytes(4)));
          d = rest;
        }
        for (const f of decoder.push(d)) frames.push({ opcode: f.opcode, text: f.opcode === Opcode.text ? f.payload.toString() : String(f.payload.length) });
        if (frames.length === 2) resolve();
      });
      sock.on('error', reject);
    });
    sock.write(`GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await done;
    sock.destroy();
    expect(handshake).toMatch(/^HTTP\/1\.1 101/);
    expect(handshake).toContain(`Sec-WebSocket-Accept: ${acceptKey(key)}`);
    expect(frames).toEqual([{ opcode: Opcode.text, text: 'hello' }, { opcode: Opcode.binary, text: '70000' }]);
  });
});

describe('httpbin gRPC Streamer', () => {
  let server: grpc.Server;
  let client: grpc.Client;

  beforeAll(async () => {
    server = createStreamerServer(ID);
    const port = await bindStreamer(server, '127.0.0.1', 0);
    const Ctor = grpc.makeGenericClientConstructor(streamerService(), 'Streamer');
    client = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  function count(req: Partial<CountRequest>): Promise<{ replies: CountReply[]; status: grpc.StatusObject }> {
    const stream = (client as unknown as { Count(r: Partial<CountRequest>): grpc.ClientReadableStream<CountReply> }).Count(req);
    const replies: CountReply[] = [];
    stream.on('data', (r: CountReply) => replies.push(r));
    stream.on('error', () => undefined);
    return new Promise((resolve) => stream.on('status', (status: grpc.StatusObject) => resolve({ replies, status })));
  }

  it('streams count replies and reports the total in trailers', async () => {
    const { replies, status } = await count({ count: 3 });
    expect(replies).toEqual([1, 2, 3].map((n) => ({ n, pod: 'httpbin-test' })));
    expect(status.code).toBe(grpc.status.OK);
    expect(status.metadata.get(SENT_TRAILER)).toEqual(['3']);
  });

  it('ends with the requested status after the replies', async () => {
    const { replies, status } = await count({ count: 2, fail_with: grpc.status.RESOURCE_EXHAUSTED });
    expect(replies).toHaveLength(2);
    expect(status.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});
