import net from 'node:net';
import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { type TestCert, caSignedCert, selfSignedCert, testCa } from '../testing/certs';
import { tcpProxyFilter, tlsInspector } from '../testing/protocol-builders';
import { startRuntime } from '../testing/runtime-harness';
import { curlHttps } from '../testing/tls-clients';
import { type TestUpstream, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

// Istio Sidecar `ingress[*].tls`: the sidecar's inbound listener `<ip>_<port>` terminates TLS from
// outside the mesh with the listener's files (instead of mesh mTLS), in the shape Pilot generates:
// tls_inspector, one `transportProtocol: tls` chain; HTTPS is then served as HTTP to the app,
// TLS as TCP.
const WORKLOAD_IP = '127.88.1.30';
const APP_IP = '127.88.1.31';
const HTTPS_PORT = 19563;
const TLS_PORT = 19564;
const HOST = 'productpage.example.com';

function ingressTls(server: TestCert, alpn: string[], ca?: TestCert): xds.TransportSocket {
  const ctx: xds.DownstreamTlsContext = {
    commonTlsContext: {
      tlsCertificates: [{ certificateChain: { filename: server.certFile }, privateKey: { filename: server.keyFile } }],
      ...(ca ? { validationContext: { trustedCa: { filename: ca.certFile } } } : {}),
      ...(alpn.length ? { alpnProtocols: alpn } : {}),
    },
    ...(ca ? { requireClientCertificate: { value: true } } : {}),
  };
  return { name: FilterName.Tls, typedConfig: toAny(TypeUrl.DownstreamTlsContext, ctx) };
}

function inboundListener(port: number, transportSocket: xds.TransportSocket, filter: xds.Filter): xds.Listener {
  return {
    name: `${WORKLOAD_IP}_${port}`,
    address: { socketAddress: { address: WORKLOAD_IP, portValue: port } },
    trafficDirection: 'INBOUND',
    listenerFilters: [tlsInspector],
    filterChains: [{ filterChainMatch: { transportProtocol: 'tls' }, transportSocket, filters: [filter] }],
  };
}

/** Plaintext bytes to a TLS-only listener: the connection is closed without an answer. */
function plaintextAnswer(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: WORKLOAD_IP, port }, () => s.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('close', () => resolve(got));
    s.on('error', () => undefined);
    s.setTimeout(5000, () => s.destroy());
  });
}

describe('Sidecar ingress tls: TLS from outside the mesh terminated by the sidecar', () => {
  let rt: ProxyRuntime;
  let app: TestUpstream;
  const server = selfSignedCert([HOST]);
  const ca = testCa('ingress-client-ca');
  const client = caSignedCert(ca, ['external-client.example.com']);

  beforeAll(async () => {
    app = await startUpstream('productpage', APP_IP, (req, res) => res.end(`productpage ${req.url} tls=${String((req.socket as { encrypted?: boolean }).encrypted ?? false)}`));
    const inboundRoute = b.routeConfiguration(`inbound|${HTTPS_PORT}||`, [b.vhost(`inbound|http|${HTTPS_PORT}`, ['*'], [b.routeTo(`inbound|${HTTPS_PORT}||`)])]);
    rt = await startRuntime({
      clusters: [b.staticCluster(`inbound|${HTTPS_PORT}||`, [[app.host, app.port]]), b.staticCluster(`inbound|${TLS_PORT}||`, [[app.host, app.port]])],
      listeners: [
        inboundListener(HTTPS_PORT, ingressTls(server, ['h2', 'http/1.1']), { name: FilterName.HttpConnectionManager, typedConfig: b.hcm(`inbound_${HTTPS_PORT}`, { inline: inboundRoute }) }),
        inboundListener(TLS_PORT, ingressTls(server, [], ca), tcpProxyFilter(`inbound|${TLS_PORT}||`, `inbound|${TLS_PORT}||`)),
      ],
    });
  });

  afterAll(async () => {
    await rt.close();
    await app.close();
  });

  it('HTTPS (SIMPLE): curl over TLS to the inbound port reaches the app over plaintext HTTP', async () => {
    expect(await curlHttps(WORKLOAD_IP, HTTPS_PORT, HOST, '/productpage', server.certFile)).toMatchObject({ exitCode: 0, status: 200, body: 'productpage /productpage tls=false' });
  });

  it('closes plaintext connections: the port only speaks TLS', async () => {
    expect(await plaintextAnswer(HTTPS_PORT)).toBe('');
  });

  it('TLS (MUTUAL): a client certificate from the CA is required, then the bytes reach the app (tcp_proxy)', async () => {
    expect(await curlHttps(WORKLOAD_IP, TLS_PORT, HOST, '/tcp', server.certFile, client)).toMatchObject({ exitCode: 0, status: 200, body: 'productpage /tcp tls=false' });
    expect((await curlHttps(WORKLOAD_IP, TLS_PORT, HOST, '/tcp', server.certFile)).exitCode).not.toBe(0);
  });
});
