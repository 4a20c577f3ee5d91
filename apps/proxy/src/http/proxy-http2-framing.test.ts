import type http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { h2Connect, h2Request } from '../testing/h2';
import { FLAG, FRAME, type FrameHeader, type TappedH2Server, streamFrames, tappedH2Connect, tappedH2Server } from '../testing/h2-frames';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.152';
const UPSTREAM_IP = '127.0.0.153';
const PORT = 15001;
const AUTHORITY = 'svc';

/** A gRPC message: flag 0, 4-byte length, payload (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). */
const grpcMessage = (text: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0, text.length]), Buffer.from(text)]);

/** Released by the test once the client has the response headers (see '/gated'). */
let openGate: () => void = () => undefined;
/** The upstream stream id of the last '/upload' request. */
let uploadStreamId = 0;

/** The h2c upstream: one response shape per path. */
function respond(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  stream.on('error', () => undefined);
  const trailersThenEnd = (trailers: http2.OutgoingHttpHeaders): void => void stream.once('wantTrailers', () => stream.sendTrailers(trailers));
  switch (headers[':path']) {
    case '/plain':
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      return void stream.end('hello');
    case '/gated':
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      openGate = () => stream.end('after the headers');
      return;
    case '/trailers':
      stream.respond({ ':status': 200, 'content-type': 'text/plain' }, { waitForTrailers: true });
      trailersThenEnd({ 'x-checksum': 'abc' });
      return void stream.end('with trailers');
    case '/late-trailers':
      stream.respond({ ':status': 200, 'content-type': 'text/plain' }, { waitForTrailers: true });
      trailersThenEnd({ 'x-checksum': 'late' });
      stream.write('part');
      return void setTimeout(() => stream.end('-rest'), 30);
    case '/grpc':
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      trailersThenEnd({ 'grpc-status': '3', 'grpc-message': 'bad%20argument' });
      return void stream.end(grpcMessage('reply'));
    case '/upload': {
      uploadStreamId = stream.id ?? 0;
      let n = 0;
      stream.on('data', (c: Buffer) => (n += c.length));
      stream.on('end', () => {
        stream.respond({ ':status': 200 });
        stream.end(String(n));
      });
      return;
    }
    case '/grpc-trailers-only':
      return void stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'no such thing' }, { endStream: true });
    default:
      stream.respond({ ':status': 404 }, { endStream: true });
  }
}

/** Frame types and flags of one stream, e.g. `HEADERS`, `DATA+END_STREAM`. */
function shape(frames: readonly FrameHeader[], streamId: number): string[] {
  return streamFrames(frames, streamId).map((f) => `${f.type === FRAME.DATA ? (f.length ? 'DATA' : 'EMPTY_DATA') : 'HEADERS'}${f.flags & FLAG.END_STREAM ? '+END_STREAM' : ''}`);
}

describe('HTTP/2 downstream framing: END_STREAM, trailers and the compat behaviour kept', () => {
  let rt: ProxyRuntime;
  let upstream: TappedH2Server;

  beforeAll(async () => {
    upstream = await tappedH2Server(UPSTREAM_IP, respond);
    rt = await startRuntime({
      clusters: [p.h2Cluster('h2up', [[UPSTREAM_IP, upstream.port]])],
      listeners: [p.withIstioHcm(b.listener('plain', IP, PORT, { rds: 'r' }))],
      routes: [b.routeConfiguration('r', [b.vhost('all', [AUTHORITY], [b.routeTo('h2up', { prefix: '/' }, { timeout: { seconds: 0 } })])])],
    });
  });

  afterAll(async () => {
    await rt.close();
    await upstream.close();
  });

  /** One request on a fresh tapped session (so it is stream 1); the response and its frames. */
  async function tapped(path: string): Promise<{ res: Awaited<ReturnType<typeof h2Request>>; frames: string[] }> {
    const { session, frames } = await tappedH2Connect(IP, PORT);
    try {
      const res = await h2Request(session, { ':path': path, ':authority': AUTHORITY });
      return { res, frames: shape(frames, 1) };
    } finally {
      session.close();
    }
  }

  it('a response without trailers ends with END_STREAM on its last DATA frame, no empty DATA frame after it', async () => {
    const { res, frames } = await tapped('/plain');
    expect(res.body).toBe('hello');
    expect(res.trailers).toEqual({});
    expect(frames).toEqual(['HEADERS', 'DATA+END_STREAM']);
  });

  it('sends the headers of a response whose body is still to come, then streams the body', async () => {
    const s = await h2Connect(`http://${IP}:${PORT}`);
    const req = s.request({ ':path': '/gated', ':authority': AUTHORITY });
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    // The upstream ends the body only after the client saw the headers: held headers would hang here.
    const status = await new Promise((resolve) => req.once('response', (h) => resolve(h[':status'])));
    openGate();
    await new Promise((resolve) => req.once('end', resolve));
    expect(status).toBe(200);
    expect(body).toBe('after the headers');
    s.close();
  });

  it('forwards trailers of a plain HTTP/2 response, whether they come with the body or after a pause', async () => {
    const now = await tapped('/trailers');
    expect(now.res.body).toBe('with trailers');
    expect(now.res.trailers).toMatchObject({ 'x-checksum': 'abc' });
    expect(now.frames.at(-1)).toBe('HEADERS+END_STREAM');
    const late = await tapped('/late-trailers');
    expect(late.res.body).toBe('part-rest');
    expect(late.res.trailers).toMatchObject({ 'x-checksum': 'late' });
  });

  it('forwards a request body that arrived whole with END_STREAM on its last DATA frame upstream', async () => {
    const s = await h2Connect(`http://${IP}:${PORT}`);
    const res = await h2Request(s, { ':method': 'POST', ':path': '/upload', ':authority': AUTHORITY }, Buffer.alloc(1000, 'u'));
    expect(res.body).toBe('1000');
    expect(shape(upstream.frames, uploadStreamId)).toEqual(['HEADERS', 'DATA+END_STREAM']);
    s.close();
  });

  it('gRPC: HEADERS, DATA, then trailers (grpc-status, grpc-message) with END_STREAM', async () => {
    const { res, frames } = await tapped('/grpc');
    expect(res.headersOnly).toBe(false);
    expect(res.headers['content-type']).toBe('application/grpc');
    expect(res.trailers).toMatchObject({ 'grpc-status': '3', 'grpc-message': 'bad%20argument' });
    expect(frames).toEqual(['HEADERS', 'DATA', 'HEADERS+END_STREAM']);
  });

  it('gRPC trailers-only reply from the upstream stays one HEADERS frame with END_STREAM', async () => {
    const { res, frames } = await tapped('/grpc-trailers-only');
    expect(res.headersOnly).toBe(true);
    expect(res.headers).toMatchObject({ ':status': 200, 'grpc-status': '5', 'grpc-message': 'no such thing' });
    expect(frames).toEqual(['HEADERS+END_STREAM']);
  });

  it('answers CONNECT with 405 and an unknown Expect with 417, and 100-continue before the response (as node compat did)', async () => {
    const s = await h2Connect(`http://${IP}:${PORT}`);
    const connect = await new Promise((resolve) => s.request({ ':method': 'CONNECT', ':authority': 'svc:443' }).once('response', (h) => resolve(h[':status'])));
    expect(connect).toBe(405);
    expect((await h2Request(s, { ':path': '/plain', ':authority': AUTHORITY, expect: 'magic' })).headers[':status']).toBe(417);
    const req = s.request({ ':method': 'POST', ':path': '/plain', ':authority': AUTHORITY, expect: '100-continue' });
    await new Promise((resolve) => req.once('continue', resolve));
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    const ended = new Promise((resolve) => req.once('end', resolve));
    req.end('payload');
    await ended;
    expect(body).toBe('hello');
    s.destroy();
  });
});
