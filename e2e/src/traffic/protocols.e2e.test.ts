import net from 'node:net';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRPC_PORT, HTTP_PORT, HTTPBIN_DIR, HttpbinMesh } from './support/httpbin-mesh';
import { WebSocketClient } from './support/websocket-client';

// Protocols through two sidecars (sleep's outbound on :15001, httpbin's inbound) under STRICT
// mTLS for httpbin: a WebSocket echo over HTTP/1.1 Upgrade and a gRPC server-streaming call over
// h2c, with trailers, both carried over mTLS between the sidecars (auto mTLS).
const BLOCK = '127.77.6';

/** Istio's per-workload STRICT mTLS: httpbin's sidecars accept only mTLS from mesh workloads. */
const STRICT_HTTPBIN = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: httpbin-strict
  namespace: default
spec:
  selector:
    matchLabels:
      app: httpbin
  mtls:
    mode: STRICT
`;

/** True when a plaintext HTTP/1.1 request straight to a sidecar's inbound port gets an answer. */
function plaintextAnswered(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => s.write(`GET /get HTTP/1.1\r\nhost: httpbin:${port}\r\nconnection: close\r\n\r\n`));
    let data = '';
    s.setTimeout(3000, () => s.destroy());
    s.on('data', (d: Buffer) => (data += d.toString()));
    s.on('error', () => undefined);
    s.on('close', () => resolve(/^HTTP\/1\.1 \d/.test(data)));
  });
}

interface CountReply {
  n: number;
  pod: string;
}
type CountFn = (req: { count: number; interval_ms?: number; fail_with?: number }) => grpc.ClientReadableStream<CountReply>;

/** A grpc-js client talking h2c to the sleep sidecar, with `httpbin:9000` as its authority. */
function streamerViaSidecar(sidecarIp: string): grpc.Client & { Count: CountFn } {
  const def = protoLoader.loadSync(path.join(HTTPBIN_DIR, 'proto/httpbin.proto'), { keepCase: true, longs: Number, defaults: true });
  const Ctor = grpc.makeGenericClientConstructor(def['httpbin.Streamer'] as protoLoader.ServiceDefinition, 'Streamer');
  return new Ctor(`${sidecarIp}:15001`, grpc.credentials.createInsecure(), { 'grpc.default_authority': `httpbin:${GRPC_PORT}` }) as unknown as grpc.Client & { Count: CountFn };
}

function collect(stream: grpc.ClientReadableStream<CountReply>): Promise<{ replies: CountReply[]; metadata?: grpc.Metadata; status: grpc.StatusObject }> {
  const replies: CountReply[] = [];
  let metadata: grpc.Metadata | undefined;
  stream.on('metadata', (m: grpc.Metadata) => (metadata = m));
  stream.on('data', (r: CountReply) => replies.push(r));
  stream.on('error', () => undefined);
  return new Promise((resolve) => stream.on('status', (status: grpc.StatusObject) => resolve({ replies, metadata, status })));
}

describe('protocols through two sidecars (httpbin)', () => {
  let mesh: HttpbinMesh;

  beforeAll(async () => {
    mesh = await HttpbinMesh.start({ ipBlock: BLOCK, gatewayIp: `${BLOCK}.100` });
    await mesh.apply(STRICT_HTTPBIN);
    for (const v of ['v1', 'v2'] as const) {
      await waitFor(async () => !(await plaintextAnswered(mesh.podIp(v), HTTP_PORT)), { timeoutMs: 15_000, intervalMs: 200, message: `httpbin-${v}'s sidecar still answers plaintext` });
    }
  });

  afterAll(async () => {
    await mesh?.stop();
  });

  it('upgrades to WebSocket over mTLS (httpbin is STRICT) and echoes text and binary messages', async () => {
    const ws = await WebSocketClient.connect(mesh.sleepIp, 15001, `http://httpbin:${HTTP_PORT}/ws`, `httpbin:${HTTP_PORT}`);
    try {
      expect(ws.handshake.toLowerCase()).toMatch(/x-httpbin-pod: httpbin-v[12]/);
      for (const msg of ['hello', 'through two sidecars']) {
        ws.send(msg);
        const echo = await ws.receive();
        expect(echo.text).toBe(true);
        expect(echo.data.toString()).toBe(msg);
      }
      const big = Buffer.alloc(100_000, 0xab);
      ws.send(big);
      const echo = await ws.receive();
      expect(echo.text).toBe(false);
      expect(echo.data.equals(big)).toBe(true);
    } finally {
      ws.close();
    }
    await waitFor(() => /"GET \/ws HTTP\/1\.1" 101 /.test(mesh.log('sleep-sidecar')), { timeoutMs: 5000, intervalMs: 100, message: 'no 101 in the sleep sidecar access log' });
  });

  it('streams gRPC replies (server streaming over h2c) with initial metadata and trailers', async () => {
    const client = streamerViaSidecar(mesh.sleepIp);
    try {
      const { replies, metadata, status } = await collect(client.Count({ count: 5, interval_ms: 20 }));
      expect(status.code, status.details).toBe(grpc.status.OK);
      expect(replies.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
      const pod = replies[0].pod;
      expect(pod).toMatch(/^httpbin-v[12]$/);
      expect(replies.every((r) => r.pod === pod)).toBe(true);
      expect(metadata?.get('x-httpbin-pod')).toEqual([pod]);
      expect(status.metadata.get('x-httpbin-sent')).toEqual(['5']);
    } finally {
      client.close();
    }
  });

  it('passes a gRPC error status from the server after streamed replies', async () => {
    const client = streamerViaSidecar(mesh.sleepIp);
    try {
      const { replies, status } = await collect(client.Count({ count: 2, fail_with: grpc.status.RESOURCE_EXHAUSTED }));
      expect(replies.map((r) => r.n)).toEqual([1, 2]);
      expect(status.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(status.details).toContain('failed as asked after 2 replies');
      expect(status.metadata.get('x-httpbin-sent')).toEqual(['2']);
    } finally {
      client.close();
    }
    await waitFor(() => /"POST \/httpbin\.Streamer\/Count HTTP\/2" 200 /.test(mesh.log('sleep-sidecar')), {
      timeoutMs: 5000,
      intervalMs: 100,
      message: 'no gRPC call in the sleep sidecar access log',
    });
  });
});
