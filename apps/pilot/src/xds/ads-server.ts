import * as grpc from '@grpc/grpc-js';
import { parseProxyNode } from '@mizzen/mesh-model';
import { adsServiceDefinition, type DeltaDiscoveryRequest, type DiscoveryRequest, type XdsNode } from '@mizzen/xds-codec';
import type { ProxyNode } from '@mizzen/mesh-model';
import type { ResourceTypeUrl } from '@mizzen/xds-types';
import { ConnectLog } from './connect-log';
import { type ConnectionDeps, XdsConnection } from './connection';
import type { ConnectionRegistry } from './connections';
import { DeltaXdsConnection } from './delta-connection';
import type { ProxyStream } from './proxy-stream';
import { isResourceType } from './type-order';
import { peerIdentity } from '../security/peer-identity';

type AdsStream<Req> = grpc.ServerDuplexStream<Req, Buffer>;

/** How one flavour of ADS (SotW or delta) creates its connection and feeds it requests. */
interface StreamFlavour<Req extends { node?: XdsNode; typeUrl: string }, C extends ProxyStream> {
  create(proxy: ProxyNode, deps: ConnectionDeps): C;
  handle(conn: C, req: Req, typeUrl: ResourceTypeUrl): void;
}

const SOTW: StreamFlavour<DiscoveryRequest, XdsConnection> = {
  create: (proxy, deps) => new XdsConnection(proxy, deps),
  handle: (conn, req, typeUrl) => conn.handleRequest(req, typeUrl),
};

const DELTA: StreamFlavour<DeltaDiscoveryRequest, DeltaXdsConnection> = {
  create: (proxy, deps) => new DeltaXdsConnection(proxy, deps),
  handle: (conn, req, typeUrl) => conn.handleRequest(req, typeUrl),
};

/**
 * The ADS gRPC server: a plain @grpc/grpc-js server whose only job is streams. Each stream gets an
 * {@link XdsConnection}; the first request must carry a node that parses as a proxy, else the
 * stream ends with INVALID_ARGUMENT naming the bad fields.
 */
export class AdsServer {
  private server?: grpc.Server;
  private readonly connectLog: ConnectLog;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly deps: Omit<ConnectionDeps, 'write'>,
    private readonly log: (msg: string) => void,
  ) {
    this.connectLog = new ConnectLog(log);
  }

  async listen(address: string, credentials = grpc.ServerCredentials.createInsecure()): Promise<number> {
    const server = new grpc.Server({
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.max_send_message_length': 256 * 1024 * 1024,
    });
    server.addService(adsServiceDefinition, {
      StreamAggregatedResources: (call: AdsStream<DiscoveryRequest>) => this.handleStream(call, SOTW),
      DeltaAggregatedResources: (call: AdsStream<DeltaDiscoveryRequest>) => this.handleStream(call, DELTA),
    });
    this.server = server;
    return new Promise((resolve, reject) =>
      server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  /** Serves the same ADS service on another address with other credentials (the TLS port). */
  bind(address: string, credentials: grpc.ServerCredentials): Promise<number> {
    const server = this.server;
    if (!server) return Promise.reject(new Error('listen() first'));
    return new Promise((resolve, reject) => server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port))));
  }

  async close(): Promise<void> {
    this.connectLog.flush();
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        s.forceShutdown();
        resolve();
      }, 2000);
      s.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private handleStream<Req extends { node?: XdsNode; typeUrl: string }, C extends ProxyStream>(call: AdsStream<Req>, flavour: StreamFlavour<Req, C>): void {
    let conn: C | undefined;
    const end = () => {
      if (conn) this.registry.remove(conn);
      conn = undefined;
    };
    call.on('data', (req: Req) => {
      try {
        if (!conn) {
          if (!req.node) return fail(call, 'the first request on a stream must carry node');
          const parsed = parseProxyNode(req.node);
          if (!parsed.ok) return fail(call, parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
          // The identity comes from the transport (mutual TLS), never from what the node claims.
          const identity = peerIdentity(call.getAuthContext());
          conn = flavour.create(identity ? { ...parsed.value, peerIdentity: identity } : parsed.value, { ...this.deps, write: (b, onFlushed) => void call.write(b, onFlushed ? () => onFlushed() : undefined) });
          this.registry.add(conn);
          // The capture mode decides the outbound L4 listeners' shape (TPROXY: destination IP chains).
          const mode = conn.proxy.interceptionMode === 'NONE' ? '' : `, ${conn.proxy.interceptionMode}`;
          this.connectLog.connected(`${conn.proxy.id} (${conn.proxy.type}${mode})`);
        }
        if (!isResourceType(req.typeUrl)) {
          this.log(`ignoring request for unsupported type ${req.typeUrl} from ${conn.proxy.id}`);
          return;
        }
        flavour.handle(conn, req, req.typeUrl);
      } catch (e) {
        this.log(`error handling request from ${conn?.proxy.id ?? 'unknown'}: ${(e as Error).stack ?? e}`);
        fail(call, `internal error: ${(e as Error).message}`, grpc.status.INTERNAL);
      }
    });
    call.on('end', () => {
      end();
      call.end();
    });
    call.on('error', end);
    call.on('close', end);
    call.on('cancelled', end);
  }
}

function fail<Req>(call: AdsStream<Req>, details: string, code = grpc.status.INVALID_ARGUMENT): void {
  call.emit('error', { code, details });
}
