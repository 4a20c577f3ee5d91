import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type TestCert, selfSignedCert } from '../testing/certs';
import * as p from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { type TcpServer, collect, connect, startTcpServer } from '../testing/sockets';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.140';
const PORT = 9443;

/** A TLS server that answers every connection with its name and the SNI it saw, then closes. */
function namedTlsServer(host: string, name: string, cert: TestCert): Promise<TcpServer> {
  return startTcpServer(host, (s) => s.once('data', () => s.end(`${name}:${(s as tls.TLSSocket).servername || '-'}`)), { tls: { cert: cert.cert, key: cert.key } });
}

/** A TLS client through the proxy, verifying the upstream's certificate (so TLS was not terminated). */
function tlsGet(servername: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: IP, port: PORT, servername, ca, ALPNProtocols: ['h2', 'http/1.1'] }, () => s.write('hi'));
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
  });
}

describe('TLS passthrough by SNI (tls_inspector + filterChainMatch.serverNames)', () => {
  let rt: ProxyRuntime;
  let api: TcpServer;
  let wild: TcpServer;
  let apiCert: TestCert;
  let wildCert: TestCert;

  beforeAll(async () => {
    apiCert = selfSignedCert(['api.example.com']);
    wildCert = selfSignedCert(['*.example.com']);
    api = await namedTlsServer('127.0.0.141', 'api', apiCert);
    wild = await namedTlsServer('127.0.0.142', 'wild', wildCert);
    rt = await startRuntime({
      clusters: [b.staticCluster('api', [[api.host, api.port]]), b.staticCluster('wild', [[wild.host, wild.port]])],
      listeners: [
        p.sniListener('outbound_tls_9443', IP, PORT, [
          [['api.example.com'], 'api'],
          [['*.example.com'], 'wild'],
        ]),
      ],
    });
  });

  afterAll(async () => {
    await rt.close();
    await Promise.all([api, wild].map((s) => s.close()));
  });

  it('routes an exact server name to its cluster; the client verifies the upstream certificate end to end', async () => {
    expect(await tlsGet('api.example.com', apiCert.cert)).toBe('api:api.example.com');
  });

  it('routes other names under the wildcard to the wildcard chain', async () => {
    expect(await tlsGet('shop.example.com', wildCert.cert)).toBe('wild:shop.example.com');
  });

  it('closes connections whose SNI matches no chain', async () => {
    // The proxy closes before any TLS byte comes back: the client sees an end or a reset.
    expect(await tlsGet('other.org', apiCert.cert).catch(() => '')).toBe('');
    expect(rt.stats.scope('listener', `${IP}_${PORT}`).counter('no_filter_chain_match').value).toBeGreaterThanOrEqual(1);
  });

  it('closes plaintext connections (transport raw_buffer matches no TLS chain)', async () => {
    const s = await connect(IP, PORT);
    const got = collect(s);
    s.write('GET / HTTP/1.1\r\nhost: api.example.com\r\n\r\n');
    expect((await got).data).toBe('');
    const stats = rt.stats.scope('listener', `${IP}_${PORT}`);
    expect(stats.counter('tls_inspector.tls_not_found').value).toBe(1);
    expect(stats.counter('tls_inspector.sni_found').value).toBeGreaterThanOrEqual(3);
  });

  it('waits for a ClientHello sent in pieces', async () => {
    const hello = await new Promise<Buffer>((resolve) => {
      const srv = net.createServer((s) => s.once('data', (d: Buffer) => (resolve(d), s.destroy(), srv.close())));
      srv.listen(0, '127.0.0.143', () => {
        const c = tls.connect({ host: '127.0.0.143', port: (srv.address() as net.AddressInfo).port, servername: 'api.example.com' });
        c.on('error', () => undefined);
      });
    });
    // Replay the captured hello byte-slice by byte-slice; the proxy must wait, then pass it all on.
    const s = await connect(IP, PORT);
    const first = new Promise<Buffer>((resolve) => s.once('data', resolve));
    for (let i = 0; i < hello.length; i += 50) {
      s.write(hello.subarray(i, i + 50));
      await new Promise((r) => setTimeout(r, 5));
    }
    // The upstream TLS server answered the replayed hello with its ServerHello (a handshake record).
    expect((await first)[0]).toBe(0x16);
    s.destroy();
  });
});
