import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { MeshCa, workloadSecrets } from '../testing/mesh-ca';
import * as m from '../testing/mtls-builders';
import * as p from '../testing/protocol-builders';
import { type ProxyProtocolServer, startProxyProtocolServer } from '../testing/proxy-protocol-server';
import { startRuntime } from '../testing/runtime-harness';
import { waitUntil } from '../testing/wait';
import { startWsEcho, wsConnect } from '../testing/websocket';
import * as b from '../testing/xds-builders';

const A = '127.92.1.1'; // the client's sidecar
const B = '127.92.1.2'; // the server's sidecar (STRICT inbound)
const ECHO = '127.92.1.3';
const PP = '127.92.1.4'; // the echo behind a PROXY protocol reader
const CLIENT = '127.92.1.5';
const OUTBOUND = 15001;
const STRICT = 15006;
const TD = 'spiffe://cluster.local/ns/default/sa';
const SNI = 'outbound_.8080_._.chat.default.svc.cluster.local';

/**
 * WebSocket upgrades take the cluster's transport socket, as every request does (Envoy): auto
 * mTLS to a STRICT peer sidecar, and the PROXY protocol header with the downstream addresses.
 */
describe('HTTP upgrades over the cluster transport (mTLS, PROXY protocol)', () => {
  let client: ProxyRuntime;
  let server: ProxyRuntime;
  let echo: Awaited<ReturnType<typeof startWsEcho>>;
  let pp: ProxyProtocolServer;

  beforeAll(async () => {
    const ca = await MeshCa.create();
    const [chatClient, chat] = await Promise.all([ca.issue(`${TD}/chat-client`), ca.issue(`${TD}/chat`)]);
    echo = await startWsEcho(ECHO);
    pp = await startProxyProtocolServer(PP, echo.server);
    // B accepts only mTLS from chat-client's identity: a plaintext or anonymous upgrade is refused.
    server = await startRuntime(
      { clusters: [b.staticCluster('inbound|8080||', [[ECHO, echo.port]])], listeners: [p.withIstioHcm(m.inboundListener('strict', B, STRICT, 'STRICT', 'inbound|8080||', 'http', [`${TD}/chat-client`]))] },
      { secrets: workloadSecrets(chat) },
    );
    const routes = b.routeConfiguration('outbound', [b.vhost('chat', ['chat:8080'], [b.routeTo('outbound|8080||chat')]), b.vhost('pp', ['pp:8080'], [b.routeTo('pp')])]);
    client = await startRuntime(
      {
        clusters: [
          { name: 'outbound|8080||chat', type: 'STATIC', connectTimeout: { seconds: 1 }, loadAssignment: m.tlsModeAssignment('outbound|8080||chat', [[B, STRICT, 'istio']]), transportSocketMatches: m.autoMtlsMatches(SNI, [`${TD}/chat`]) },
          b.staticCluster('pp', [[PP, pp.port]], { transportSocket: m.upstreamProxyProtocol('V1', m.RAW_BUFFER) }),
        ],
        listeners: [p.withIstioHcm(b.listener('outbound', A, OUTBOUND, { inline: routes }))],
      },
      { secrets: workloadSecrets(chatClient) },
    );
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    await pp?.close();
    await echo?.close();
  });

  it('tunnels a WebSocket over mTLS between two sidecars; the STRICT side verified the client certificate', async () => {
    const inbound = server.stats.scope('listener', `${B}_${STRICT}`);
    const ws = await wsConnect({ host: A, port: OUTBOUND }, 'chat:8080');
    try {
      expect(ws.status).toBe(101);
      for (const msg of ['over', 'mutual tls']) expect(await ws.roundTrip(msg)).toBe(`echo:${msg}`);
    } finally {
      ws.socket?.destroy();
    }
    expect(client.stats.scope('cluster', 'outbound|8080||chat').counter('ssl.handshake').value).toBe(1);
    expect(inbound.counter('ssl.handshake').value).toBe(1);
    expect(inbound.counter('no_filter_chain_match').value).toBe(0);
    expect(echo.requests.at(-1)).toMatchObject({ host: 'chat:8080', upgrade: 'websocket' });
    await waitUntil(() => server.stats.scope('http', 'strict-mtls').gauge('downstream_cx_upgrades_active').value === 0, 3000);
  });

  it('starts the upstream connection of an upgrade with a PROXY header naming the downstream connection', async () => {
    const before = pp.headers.length;
    const ws = await wsConnect({ host: A, port: OUTBOUND, localAddress: CLIENT }, 'pp:8080');
    try {
      expect(ws.status).toBe(101);
      expect(await ws.roundTrip('proxied')).toBe('echo:proxied');
      const clientPort = (ws.socket as net.Socket).localPort;
      expect(pp.headers.slice(before)).toEqual([{ version: 1, command: 'TCP4', family: 'TCP4', source: CLIENT, destination: A, sourcePort: clientPort, destinationPort: OUTBOUND }]);
    } finally {
      ws.socket?.destroy();
    }
  });
});
