import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { selfSignedCert } from '../testing/certs';
import { RAW_BUFFER, simpleUpstreamTls, upstreamProxyProtocol } from '../testing/mtls-builders';
import * as p from '../testing/protocol-builders';
import { type ParsedProxyHeader, type ProxyProtocolServer, startProxyProtocolServer } from '../testing/proxy-protocol-server';
import { startRuntime } from '../testing/runtime-harness';
import { collect } from '../testing/sockets';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

const IP = '127.89.1.3';
const HTTP_PORT = 15001;
const TCP_PORT = 27017;
const CLIENT = '127.89.1.5';

/** GETs through a keep-alive agent bound to CLIENT (one downstream connection per agent); returns the body and the client's port. */
function get(agent: http.Agent, host: string): Promise<{ status: number; body: string; clientPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: IP, port: HTTP_PORT, path: '/', headers: { host }, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, clientPort: req.socket?.localPort ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The header a PROXY-protocol server should read for a connection from CLIENT:`port` to the proxy's `dstPort`. */
function expected(version: 1 | 2, port: number, dstPort = HTTP_PORT): ParsedProxyHeader {
  return { version, command: version === 1 ? 'TCP4' : 'PROXY', family: 'TCP4', source: CLIENT, destination: IP, sourcePort: port, destinationPort: dstPort };
}

const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  req.resume();
  res.end(`hello over ${(req.socket as { encrypted?: boolean }).encrypted ? 'tls' : 'plaintext'}`);
};

describe('upstream PROXY protocol (upstream_proxy_protocol) over loopback', () => {
  let rt: ProxyRuntime;
  let plain: ProxyProtocolServer;
  let secure: ProxyProtocolServer;
  let tcpSecure: ProxyProtocolServer;
  let h2c: ProxyProtocolServer;
  const agents: http.Agent[] = [];
  const agent = (): http.Agent => {
    const a = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: CLIENT } as http.AgentOptions);
    agents.push(a);
    return a;
  };

  beforeAll(async () => {
    const cert = selfSignedCert(['pp.test']);
    plain = await startProxyProtocolServer('127.89.1.30', http.createServer(answer));
    secure = await startProxyProtocolServer('127.89.1.31', https.createServer({ cert: cert.cert, key: cert.key }, answer));
    // TLS echo for the TCP proxy: the upstream terminates TLS after reading the PROXY header.
    const tlsEcho = tls.createServer({ cert: cert.cert, key: cert.key }, (s) => s.pipe(s));
    tcpSecure = await startProxyProtocolServer('127.89.1.32', tlsEcho);
    h2c = await startProxyProtocolServer('127.89.1.33', http2.createServer((req, res) => res.end(`hello over HTTP/${req.httpVersion}`)));
    const originate = simpleUpstreamTls({ caFile: cert.certFile, sni: 'pp.test' });
    rt = await startRuntime({
      clusters: [
        b.staticCluster('v1', [[plain.host, plain.port]], { transportSocket: upstreamProxyProtocol('V1', RAW_BUFFER) }),
        b.staticCluster('v2', [[plain.host, plain.port]], { transportSocket: upstreamProxyProtocol('V2', RAW_BUFFER) }),
        b.staticCluster('v2-tls', [[secure.host, secure.port]], { transportSocket: upstreamProxyProtocol('V2', originate) }),
        b.staticCluster('tcp-v1-tls', [[tcpSecure.host, tcpSecure.port]], { transportSocket: upstreamProxyProtocol('V1', originate) }),
        b.staticCluster('none', [[plain.host, plain.port]]),
        p.h2Cluster('v1-h2', [[h2c.host, h2c.port]], 'typed', { transportSocket: upstreamProxyProtocol('V1', RAW_BUFFER) }),
      ],
      listeners: [b.listener('http', IP, HTTP_PORT, { rds: 'r' }), p.tcpListener('outbound_tcp', IP, TCP_PORT, 'tcp-v1-tls')],
      routes: [b.routeConfiguration('r', [b.vhost('v1', ['v1'], [b.routeTo('v1')]), b.vhost('v2', ['v2'], [b.routeTo('v2')]), b.vhost('v2-tls', ['v2-tls'], [b.routeTo('v2-tls')]), b.vhost('none', ['none'], [b.routeTo('none')]), b.vhost('v1-h2', ['v1-h2'], [b.routeTo('v1-h2')])])],
    });
  });

  afterAll(async () => {
    for (const a of agents) a.destroy();
    await rt.close();
    await Promise.all([plain.close(), secure.close(), tcpSecure.close(), h2c.close()]);
  });

  it('v1: the upstream connection starts with the text header naming the downstream source and destination', async () => {
    const before = plain.headers.length;
    const r = await get(agent(), 'v1');
    expect([r.status, r.body]).toEqual([200, 'hello over plaintext']);
    expect(plain.headers.slice(before)).toEqual([expected(1, r.clientPort)]);
  });

  it('v2: the binary header; one downstream connection keeps its upstream connection, another gets its own', async () => {
    const before = plain.headers.length;
    const a = agent();
    const first = await get(a, 'v2');
    const again = await get(a, 'v2');
    expect(again.clientPort).toBe(first.clientPort);
    const other = await get(agent(), 'v2');
    expect(other.clientPort).not.toBe(first.clientPort);
    expect([first.status, again.status, other.status]).toEqual([200, 200, 200]);
    expect(plain.headers.slice(before)).toEqual([expected(2, first.clientPort), expected(2, other.clientPort)]);
    // The downstream connection closes: so does its upstream connection (its pool goes with it).
    expect(plain.closed.has(before)).toBe(false);
    a.destroy();
    await waitUntil(() => plain.closed.has(before), 3000);
    expect(plain.closed.has(before + 1)).toBe(false);
  });

  it('HTTP/2 upstream sessions start with the header too', async () => {
    const before = h2c.headers.length;
    const r = await get(agent(), 'v1-h2');
    expect([r.status, r.body]).toEqual([200, 'hello over HTTP/2.0']);
    expect(h2c.headers.slice(before)).toEqual([expected(1, r.clientPort)]);
  });

  it('composes with TLS origination: the header comes before the ClientHello', async () => {
    const before = secure.headers.length;
    const r = await get(agent(), 'v2-tls');
    expect([r.status, r.body]).toEqual([200, 'hello over tls']);
    expect(secure.headers.slice(before)).toEqual([expected(2, r.clientPort)]);
  });

  it('TCP proxy: a v1 header then TLS, bytes echo end to end', async () => {
    const before = tcpSecure.headers.length;
    const s = await new Promise<net.Socket>((resolve, reject) => {
      const c = net.connect({ host: IP, port: TCP_PORT, localAddress: CLIENT });
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
    const clientPort = s.localPort;
    if (clientPort === undefined) throw new Error('a connected socket has a local port');
    const got = collect(s);
    s.write('ping');
    await waitUntil(() => tcpSecure.headers.length > before, 3000);
    s.end();
    expect((await got).data).toBe('ping');
    expect(tcpSecure.headers.slice(before)).toEqual([expected(1, clientPort, TCP_PORT)]);
  });

  it('a cluster without it sends no header (the server refuses the connection: control)', async () => {
    const rejected = plain.rejected;
    const r = await get(agent(), 'none');
    expect(r.status).toBe(503);
    expect(plain.rejected).toBe(rejected + 1);
  });
});
