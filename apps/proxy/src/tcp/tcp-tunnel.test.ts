import http from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { collect, connect, listenTracked } from '../testing/sockets';
import * as b from '../testing/xds-builders';

const IP = '127.89.1.4';
const TUNNEL_PROXY = '127.89.1.40';

interface Seen {
  method: string;
  target: string;
  host: string;
}

/** A tunnelling proxy: CONNECT (Node's 'connect' event) and POST, echoing the tunnelled bytes; targets starting `deny` get 403. */
async function startTunnelProxy(): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '', host: req.headers.host ?? '' });
    // Answer at once: the proxy sends the stream only after a 2xx, as Envoy does.
    res.writeHead(200);
    res.flushHeaders();
    req.pipe(res);
  });
  server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '', host: req.headers.host ?? '' });
    if (req.url?.startsWith('deny')) return void socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
    socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length) socket.write(head);
    socket.pipe(socket);
  });
  return { ...(await listenTracked(server, TUNNEL_PROXY)), seen };
}

describe('tcp_proxy tunneling_config (DestinationRule tunnel) over loopback', () => {
  let rt: ProxyRuntime;
  let tunnel: Awaited<ReturnType<typeof startTunnelProxy>>;
  const log: string[] = [];

  beforeAll(async () => {
    tunnel = await startTunnelProxy();
    const proxyCluster = b.staticCluster('outbound|3128||forward-proxy', [[TUNNEL_PROXY, tunnel.port]]);
    rt = await startRuntime(
      {
        clusters: [proxyCluster],
        listeners: [
          // Pilot's shape: hostname "targetHost:targetPort", use_post for protocol POST.
          p.tcpListener('connect', IP, 27017, proxyCluster.name, { tunnelingConfig: { hostname: 'db.internal:5432' } }),
          p.tcpListener('deny', IP, 27018, proxyCluster.name, { tunnelingConfig: { hostname: 'deny.internal:5432' } }),
          p.tcpListener('post', IP, 27019, proxyCluster.name, { tunnelingConfig: { hostname: 'db.internal:5432', usePost: true } }),
        ],
      },
      { accessLog: (l) => log.push(l) },
    );
  });

  afterAll(async () => {
    await rt.close();
    await tunnel.close();
  });

  /** Sends `data` then FIN; returns what came back before the connection closed. */
  async function roundTrip(port: number, data: string): Promise<{ data: string; ended: boolean }> {
    const s = await connect(IP, port);
    const got = collect(s);
    s.write(data);
    setTimeout(() => s.end(), 100);
    return got;
  }

  it('CONNECT targetHost:targetPort, then bytes echo end to end', async () => {
    const before = tunnel.seen.length;
    const r = await roundTrip(27017, 'hello through the tunnel');
    expect(r.data).toBe('hello through the tunnel');
    expect(tunnel.seen.slice(before)).toEqual([{ method: 'CONNECT', target: 'db.internal:5432', host: 'db.internal:5432' }]);
  });

  it('a 403 answer closes the downstream connection without data', async () => {
    const before = tunnel.seen.length;
    const s = await connect(IP, 27018);
    const got = collect(s);
    s.write('never delivered');
    const r = await got;
    expect(r.data).toBe('');
    expect(tunnel.seen.slice(before)).toEqual([{ method: 'CONNECT', target: 'deny.internal:5432', host: 'deny.internal:5432' }]);
    expect(log.some((l) => l.includes(' UF '))).toBe(true);
  });

  it('POST to / with Host targetHost:targetPort carries the stream in the bodies', async () => {
    const before = tunnel.seen.length;
    const r = await roundTrip(27019, 'posted bytes');
    expect(r.data).toBe('posted bytes');
    expect(tunnel.seen.slice(before)).toEqual([{ method: 'POST', target: '/', host: 'db.internal:5432' }]);
  });
});
