import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { selfSignedCert } from '../testing/certs';
import * as m from '../testing/mtls-builders';
import { type ProxyProtocolServer, startProxyProtocolServer } from '../testing/proxy-protocol-server';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

const IP = '127.92.1.10';
const PORT = 15001;
const PRIMARY = '127.92.1.11';
const MIRROR = '127.92.1.12';
const PP_MIRROR = '127.92.1.13';
const CLIENT = '127.92.1.14';

interface Seen {
  host?: string;
  url?: string;
  /** The request came over TLS, with this SNI (null: TLS without SNI); false: plaintext. */
  sni?: string | false | null;
}

/** An HTTPS server for `mirror.test` recording how each request arrived. */
function mirrorServer(cert: { cert: string; key: string }, seen: Seen[]): https.Server {
  return https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const s = req.socket as tls.TLSSocket;
    seen.push({ host: req.headers.host, url: req.url, sni: s.encrypted ? s.servername : false });
    req.resume();
    res.end('mirror');
  });
}

/** Request mirroring uses the mirror cluster's transport socket (Envoy's shadow goes through the cluster). */
describe('request mirroring over the mirror cluster transport (TLS origination, PROXY protocol)', () => {
  let rt: ProxyRuntime;
  let primary: TestUpstream;
  let tlsMirror: https.Server;
  let pp: ProxyProtocolServer;
  const direct: Seen[] = [];
  const proxied: Seen[] = [];

  beforeAll(async () => {
    const cert = selfSignedCert(['mirror.test']);
    primary = await startUpstream('primary', PRIMARY);
    tlsMirror = mirrorServer(cert, direct);
    await new Promise<void>((r) => tlsMirror.listen(0, MIRROR, r));
    pp = await startProxyProtocolServer(PP_MIRROR, mirrorServer(cert, proxied));
    const originate = m.simpleUpstreamTls({ sni: 'mirror.test', caFile: cert.certFile, sans: [{ exact: 'mirror.test' }] });
    rt = await startRuntime({
      clusters: [
        b.staticCluster('primary', [[PRIMARY, primary.port]]),
        b.staticCluster('mirror-tls', [[MIRROR, (tlsMirror.address() as { port: number }).port]], { transportSocket: originate }),
        b.staticCluster('mirror-pp-tls', [[PP_MIRROR, pp.port]], { transportSocket: m.upstreamProxyProtocol('V2', originate) }),
      ],
      listeners: [b.listener('http', IP, PORT, { rds: 'r' })],
      routes: [
        b.routeConfiguration('r', [
          b.vhost('svc', ['svc'], [
            b.routeTo('primary', { prefix: '/tls' }, { requestMirrorPolicies: [{ cluster: 'mirror-tls' }] }),
            b.routeTo('primary', { prefix: '/pp' }, { requestMirrorPolicies: [{ cluster: 'mirror-pp-tls' }] }),
          ]),
        ]),
      ],
    });
  });

  afterAll(async () => {
    await rt?.close();
    await primary?.close();
    tlsMirror?.closeAllConnections();
    await new Promise<void>((r) => (tlsMirror ? tlsMirror.close(() => r()) : r()));
    await pp?.close();
  });

  it('a mirror to a TLS-origination cluster arrives over TLS with the SNI, the peer verified', async () => {
    const res = await request({ host: IP, port: PORT }, { path: '/tls/a', headers: { host: 'svc' } });
    expect([res.status, res.body]).toEqual([200, 'primary']);
    await waitUntil(() => direct.length > 0, 3000);
    expect(direct).toEqual([{ host: 'svc-shadow', url: '/tls/a', sni: 'mirror.test' }]);
    expect(rt.stats.scope('cluster', 'mirror-tls').counter('ssl.handshake').value).toBe(1);
  });

  it("a mirror's PROXY header carries the downstream connection's addresses (not LOCAL), before TLS", async () => {
    const agent = new http.Agent({ localAddress: CLIENT } as http.AgentOptions);
    try {
      const res = await request({ host: IP, port: PORT }, { path: '/pp/b', headers: { host: 'svc' }, agent });
      expect([res.status, res.body]).toEqual([200, 'primary']);
      await waitUntil(() => proxied.length > 0, 3000);
    } finally {
      agent.destroy();
    }
    expect(proxied).toEqual([{ host: 'svc-shadow', url: '/pp/b', sni: 'mirror.test' }]);
    expect(pp.headers).toHaveLength(1);
    expect(pp.headers[0]).toMatchObject({ version: 2, command: 'PROXY', family: 'TCP4', source: CLIENT, destination: IP, destinationPort: PORT });
  });
});
