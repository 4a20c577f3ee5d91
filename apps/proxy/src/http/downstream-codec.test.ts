import net from 'node:net';
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpConnectionManagerConfig } from '../config/model/listeners';
import { h2Connect, h2Request } from '../testing/h2';
import type { H2DownstreamRequest } from '../h2/downstream-request';
import type { ConnectionManager, ListenerContext } from './connection-manager';
import type { DownstreamStream } from './downstream';
import { DownstreamCodec } from './downstream-codec';

const HOST = '127.0.0.1';

/** Codec AUTO (sniffs the h2c preface); the fields DownstreamCodec reads. */
const ctx = {
  hcm: { codec: 'auto', idleTimeoutMs: 0, requestTimeoutMs: 0, http2: { maxConcurrentStreams: 100, initialStreamWindowSize: 65_535 } } as unknown as HttpConnectionManagerConfig,
  routes: () => undefined,
  draining: () => false,
  scheme: 'http',
} satisfies ListenerContext;

/** A connection manager that answers with the request body's length and records each HTTP/2 session. */
function echoLength(sessions: http2.Http2Session[]): ConnectionManager {
  return {
    handle: (_ctx: ListenerContext, d: DownstreamStream) => {
      const stream = (d.req as H2DownstreamRequest).stream;
      if (stream.session) sessions.push(stream.session);
      void (async () => {
        let n = 0;
        for await (const c of d.req) n += c.length;
        d.res.end(String(n));
      })();
    },
  } as unknown as ConnectionManager;
}

describe('DownstreamCodec: h2c after the preface sniff', () => {
  const closers: Array<() => void> = [];
  afterEach(() => closers.splice(0).forEach((c) => c()));

  async function serve(): Promise<{ port: number; accepted: net.Socket[]; sessions: http2.Http2Session[] }> {
    const accepted: net.Socket[] = [];
    const sessions: http2.Http2Session[] = [];
    const codec = new DownstreamCodec(ctx, echoLength(sessions));
    const info = { remoteAddress: HOST, remotePort: 0, localAddress: HOST, localPort: 0 };
    const server = net.createServer({ noDelay: true }, (s) => {
      accepted.push(s);
      void codec.serve(s, info, undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    closers.push(() => {
      accepted.forEach((s) => s.destroy());
      codec.close();
      server.close();
    });
    return { port: (server.address() as net.AddressInfo).port, accepted, sessions };
  }

  // A JS stream between the socket and node:http2 wrote each frame piece as its own TCP segment
  // and delayed every write batch by an event-loop turn: several wakeups per response at each hop.
  it('runs the HTTP/2 session on the accepted socket itself, not on a JS stream in front of it', async () => {
    const { port, accepted, sessions } = await serve();
    const client = await h2Connect(`http://${HOST}:${port}`);
    closers.push(() => client.destroy());
    for (let i = 0; i < 3; i++) expect((await h2Request(client, { ':path': '/' })).body).toBe('0');
    expect(accepted).toHaveLength(1);
    expect(new Set(sessions).size).toBe(1);
    // node:http2 consumed the socket's native handle (a JS stream would bring a JSStream handle).
    const sessionHandle = (sessions[0].socket as unknown as { _handle: unknown })._handle;
    expect(sessionHandle).toBe((accepted[0] as unknown as { _handle: unknown })._handle);
  });

  it('feeds the session the bytes the sniff read and put back, with a large first read', async () => {
    const { port } = await serve();
    // Requested before the session connects, so preface, SETTINGS, HEADERS and 60 KB of DATA can
    // reach the sniff in one read.
    const client = http2.connect(`http://${HOST}:${port}`);
    closers.push(() => client.destroy());
    const res = await h2Request(client, { ':method': 'POST', ':path': '/' }, Buffer.alloc(60_000, 'a'));
    expect(res.body).toBe('60000');
    expect((await h2Request(client, { ':path': '/' })).body).toBe('0');
  });
});
