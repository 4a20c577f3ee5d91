import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { jsonToStruct, structToJson } from '@mizzen/xds-codec';
import type { ExtAuthzService } from '../../config/model';
import type { ClusterLookup } from '../side-call';
import { type AuthzClient, type CheckInput, type CheckResult, type HeaderChange, checkHeaders } from './check';
import { unaryCall } from './grpc-unary';
import { statusCode } from './http-status';

type GrpcService = Extract<ExtAuthzService, { kind: 'grpc' }>;

/** The proto-loader options both the client here and test servers use. */
export const AUTH_PROTO_OPTIONS: protoLoader.Options = { keepCase: false, longs: Number, enums: String, defaults: false, oneofs: true };

let authService: grpc.ServiceClientConstructor | undefined;

/**
 * envoy.service.auth.v3.Authorization from the Envoy protos @grpc/grpc-js-xds ships, loaded on
 * first use (~0.4 s) and kept for the process. @grpc/proto-loader (and its lodash and .proto
 * parser) is loaded then too: a proxy without a gRPC ext_authz never holds it (~0.7 MB of heap).
 */
export function authorizationService(): grpc.ServiceClientConstructor {
  if (authService) return authService;
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const includeDirs = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loader = require('@grpc/proto-loader') as typeof protoLoader;
  const def = loader.loadSync('envoy/service/auth/v3/external_auth.proto', { ...AUTH_PROTO_OPTIONS, includeDirs });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { envoy: { service: { auth: { v3: { Authorization: grpc.ServiceClientConstructor } } } } };
  authService = pkg.envoy.service.auth.v3.Authorization;
  return authService;
}

interface HeaderValueOption {
  header?: { key?: string; value?: string };
  append?: { value?: boolean };
  appendAction?: string;
}

interface CheckResponse {
  status?: { code?: number; message?: string };
  deniedResponse?: { status?: { code?: unknown }; headers?: HeaderValueOption[]; body?: string };
  okResponse?: { headers?: HeaderValueOption[]; headersToRemove?: string[]; responseHeadersToAdd?: HeaderValueOption[] };
  dynamicMetadata?: unknown;
}

/** HeaderValueOption in ext_authz: `append` defaults to false (overwrite) in OK responses. */
function changes(list: HeaderValueOption[] | undefined, appendDefault: boolean): HeaderChange[] {
  return (list ?? []).flatMap((o) => {
    const key = (o.header?.key ?? '').toLowerCase();
    if (!key) return [];
    const append = o.appendAction ? o.appendAction === 'APPEND_IF_EXISTS_OR_ADD' : (o.append?.value ?? appendDefault);
    return [{ key, value: o.header?.value ?? '', append }];
  });
}

/** The CheckRequest Envoy builds (CheckRequestUtils::createHttpCheck), without the body. */
export function checkRequest(input: CheckInput): Record<string, unknown> {
  const { conn, view } = input;
  const headers = checkHeaders(view);
  const metadata: Record<string, unknown> = {};
  for (const ns of input.namespaces) if (input.metadata[ns]) metadata[ns] = jsonToStruct(input.metadata[ns]);
  const peer = (address: string, port: number, principal: string | undefined): Record<string, unknown> => ({ address: { socketAddress: { address, portValue: port } }, principal: principal ?? '' });
  return {
    attributes: {
      source: peer(conn.remoteAddress, conn.remotePort, conn.tls?.peerUriSans?.[0]),
      destination: peer(conn.localAddress, conn.localPort, conn.tls?.localUriSans?.[0]),
      request: {
        time: { seconds: Math.floor(input.nowMs / 1000), nanos: (input.nowMs % 1000) * 1e6 },
        http: {
          id: headers['x-request-id'] ?? '',
          method: view.method,
          headers,
          path: view.path,
          host: view.authority,
          scheme: view.scheme,
          protocol: input.protocol,
          size: -1,
        },
      },
      metadataContext: { filterMetadata: metadata },
    },
  };
}

/** CheckResponse -> result: status OK allows, anything else denies (default HTTP 403). */
export function checkResult(res: CheckResponse): CheckResult {
  const dynamicMetadata = res.dynamicMetadata ? structToJson(res.dynamicMetadata) : undefined;
  if ((res.status?.code ?? 0) === 0) {
    const ok = res.okResponse ?? {};
    return {
      kind: 'ok',
      headers: changes(ok.headers, false),
      headersToRemove: (ok.headersToRemove ?? []).map((h) => h.toLowerCase()).filter((h) => !h.startsWith(':') && h !== 'host'),
      responseHeaders: changes(ok.responseHeadersToAdd, false),
      dynamicMetadata,
    };
  }
  const d = res.deniedResponse ?? {};
  const status = statusCode(d.status?.code) || 403;
  return { kind: 'denied', status, headers: changes(d.headers, false), body: d.body ?? '', dynamicMetadata };
}

/** Check's wire codec, from the service definition (loaded on first use). */
let checkMethod: grpc.MethodDefinition<unknown, CheckResponse> | undefined;

function check(): grpc.MethodDefinition<unknown, CheckResponse> {
  checkMethod ??= authorizationService().service.Check as grpc.MethodDefinition<unknown, CheckResponse>;
  return checkMethod;
}

/**
 * ext_authz's gRPC service (`envoy_grpc`): envoy.service.auth.v3.Authorization/Check to a host of
 * the named cluster its load balancer picks, with `authority` (default: the cluster name) and the
 * call timeout. The call goes over the host's HTTP/2 sessions, hence the cluster's transport socket
 * (TLS, Istio's auto mTLS, PROXY protocol with a LOCAL / UNKNOWN header: a side call serves no
 * downstream connection), as Envoy's gRPC async client does. A failed call (any gRPC error) is an
 * error for failure_mode_allow / status_on_error.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/service/auth/v3/external_auth.proto
 */
export class GrpcAuthzClient implements AuthzClient {
  constructor(
    private readonly svc: GrpcService,
    private readonly clusters: ClusterLookup,
  ) {}

  async check(input: CheckInput): Promise<CheckResult> {
    const cluster = this.clusters.get(this.svc.cluster);
    const host = cluster?.pick({});
    if (!cluster || !host) return { kind: 'error', reason: cluster ? `no healthy upstream in "${this.svc.cluster}"` : `cluster "${this.svc.cluster}" not found` };
    const method = check();
    const deadline = this.svc.timeoutMs > 0 ? Date.now() + this.svc.timeoutMs : Infinity;
    cluster.stats.counter('upstream_rq_total').inc();
    try {
      const message = await unaryCall(host.h2, host.connector.scheme, { path: method.path, authority: this.svc.authority ?? this.svc.cluster, message: method.requestSerialize(checkRequest(input)), deadline });
      return checkResult(method.responseDeserialize(message));
    } catch (err) {
      return { kind: 'error', reason: err instanceof Error ? err.message : String(err) };
    }
  }
}
