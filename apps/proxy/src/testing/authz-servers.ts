import * as grpc from '@grpc/grpc-js';
import { authorizationService } from '../security';
import type { IssuedSvid } from './mesh-ca';
import { type TestUpstream, startUpstream } from './upstreams';

/**
 * An HTTP ext_authz service: `x-ext-authz: allow` -> 200 with `x-authz-added: yes`, `x-private:
 * secret` and `x-envoy-auth-headers-to-remove: x-remove-me`; `x-ext-authz: crash` -> 500; anything
 * else -> 403 `denied by ext-authz` with `x-reason: not allowed`.
 */
export function startHttpAuthorizer(host: string): Promise<TestUpstream> {
  return startUpstream('ext-authz', host, (req, res) => {
    req.resume();
    const verdict = req.headers['x-ext-authz'];
    if (verdict === 'allow') return void res.writeHead(200, { 'x-authz-added': 'yes', 'x-private': 'secret', 'x-envoy-auth-headers-to-remove': 'x-remove-me' }).end();
    if (verdict === 'crash') return void res.writeHead(500).end('boom');
    res.writeHead(403, { 'content-type': 'text/plain', 'x-reason': 'not allowed' }).end('denied by ext-authz');
  });
}

export interface CheckRequestSeen {
  attributes: {
    source: { address: { socketAddress: { address: string; portValue: number } }; principal?: string };
    destination: { address: { socketAddress: { address: string; portValue: number } } };
    request: { http: { method: string; path: string; host: string; headers: Record<string, string>; protocol: string } };
    metadataContext?: { filterMetadata?: Record<string, unknown> };
  };
}

/**
 * A gRPC ext_authz service (envoy.service.auth.v3.Authorization/Check): `x-ext-authz: allow` -> OK
 * with header `x-authz-added: grpc`; `slow` -> answers after 2 s; else PERMISSION_DENIED with
 * HTTP 401, body `grpc says no` and `x-reason: grpc`. With `mtls`, served over TLS with that
 * certificate, requiring a client certificate from its CA (a sidecar's inbound under STRICT).
 */
export async function startGrpcAuthorizer(host: string, mtls?: IssuedSvid): Promise<{ port: number; seen: CheckRequestSeen[]; close(): void }> {
  const seen: CheckRequestSeen[] = [];
  const server = new grpc.Server();
  server.addService(authorizationService().service, {
    Check: (call: grpc.ServerUnaryCall<CheckRequestSeen, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      seen.push(call.request);
      const verdict = call.request.attributes.request.http.headers['x-ext-authz'];
      if (verdict === 'allow') return cb(null, { status: { code: 0 }, okResponse: { headers: [{ header: { key: 'x-authz-added', value: 'grpc' } }] } });
      if (verdict === 'slow') return void setTimeout(() => cb(null, { status: { code: 0 } }), 2000);
      cb(null, { status: { code: 7 }, deniedResponse: { status: { code: 'Unauthorized' }, headers: [{ header: { key: 'x-reason', value: 'grpc' } }], body: 'grpc says no' } });
    },
  });
  const credentials = mtls ? grpc.ServerCredentials.createSsl(Buffer.from(mtls.root), [{ cert_chain: Buffer.from(mtls.chain), private_key: Buffer.from(mtls.key) }], true) : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(`${host}:0`, credentials, (err, p) => (err ? reject(err) : resolve(p))));
  return { port, seen, close: () => server.forceShutdown() };
}
