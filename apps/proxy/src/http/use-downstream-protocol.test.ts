import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketFacade } from '../h2/socket-facade';
import type { ProxyRuntime } from '../runtime';
import { h2Connect, h2Request } from '../testing/h2';
import { startRuntime } from '../testing/runtime-harness';
import { listenTracked } from '../testing/sockets';
import { request } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.89.1.2';
const PORT = 15001;
const UPSTREAM = '127.89.1.20';

/** Pilot's shape for `connectionPool.http.useClientProtocol: true` (Istio setUseDownstreamProtocol). */
const useClientProtocol = {
  typedExtensionProtocolOptions: { [FilterName.HttpProtocolOptions]: toAny(TypeUrl.HttpProtocolOptions, { useDownstreamProtocolConfig: { httpProtocolOptions: {}, http2ProtocolOptions: {} } }) },
};

/** One port speaking HTTP/1.1 and h2c (by the connection preface); answers with the protocol version it saw. */
async function startDualUpstream(): Promise<{ port: number; close(): Promise<void> }> {
  const answer = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse): void => {
    req.resume();
    res.end(`HTTP/${req.httpVersion}`);
  };
  const h1 = http.createServer(answer);
  const h2 = http2.createServer(answer);
  const server = net.createServer((s) => {
    s.once('data', (chunk: Buffer) => {
      s.pause();
      s.unshift(chunk);
      // http2 reads a net socket's native handle, so it gets a JS facade that replays the sniffed bytes.
      if (chunk.subarray(0, 3).toString() === 'PRI') h2.emit('connection', new SocketFacade(s));
      else h1.emit('connection', s);
      s.resume();
    });
  });
  return listenTracked(server, UPSTREAM);
}

describe('use_downstream_protocol_config (useClientProtocol) over loopback', () => {
  let rt: ProxyRuntime;
  let up: Awaited<ReturnType<typeof startDualUpstream>>;
  let session: http2.ClientHttp2Session;

  beforeAll(async () => {
    up = await startDualUpstream();
    rt = await startRuntime({
      clusters: [b.staticCluster('client-protocol', [[UPSTREAM, up.port]], useClientProtocol), b.staticCluster('h1', [[UPSTREAM, up.port]])],
      listeners: [b.listener('http', IP, PORT, { rds: 'r' })],
      routes: [b.routeConfiguration('r', [b.vhost('svc', ['svc'], [b.routeTo('h1', { prefix: '/h1' }), b.routeTo('client-protocol')])])],
    });
    session = await h2Connect(`http://${IP}:${PORT}`);
  });

  afterAll(async () => {
    session.close();
    await rt.close();
    await up.close();
  });

  it('an HTTP/2 downstream request goes upstream over HTTP/2', async () => {
    const r = await h2Request(session, { ':method': 'GET', ':path': '/', ':authority': 'svc' });
    expect([r.headers[':status'], r.body]).toEqual([200, 'HTTP/2.0']);
  });

  it('an HTTP/1.1 downstream request goes upstream over HTTP/1.1', async () => {
    const r = await request({ host: IP, port: PORT }, { headers: { host: 'svc' } });
    expect([r.status, r.body]).toEqual([200, 'HTTP/1.1']);
  });

  it('without the option an HTTP/2 downstream request goes upstream over HTTP/1.1 (control)', async () => {
    const r = await h2Request(session, { ':method': 'GET', ':path': '/h1', ':authority': 'svc' });
    expect([r.headers[':status'], r.body]).toEqual([200, 'HTTP/1.1']);
  });
});
