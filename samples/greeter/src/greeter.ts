// The helloworld Greeter: proto loading, the server implementation and a small typed client.
// An ordinary gRPC app: it knows nothing about the mesh. Proxyless mode is plain gRPC xDS
// (gRFC A27): an `xds:///` target makes the client register @grpc/grpc-js-xds, which reads the
// bootstrap named by GRPC_XDS_BOOTSTRAP. Sidecar mode needs nothing here either: grpc-js tunnels
// through `grpc_proxy` / `http_proxy` when they are set.
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { register as registerXds, XdsServer } from '@grpc/grpc-js-xds';

export const PROTO_PATH = path.resolve(__dirname, '..', 'proto', 'helloworld.proto');
export const SAY_HELLO_PATH = '/helloworld.Greeter/SayHello';
/** Response (initial) metadata naming the server's version, e.g. `x-version: v2`. */
export const VERSION_METADATA = 'x-version';

export interface HelloRequest {
  name: string;
}

export interface HelloReply {
  message: string;
}

export interface GreeterDefinition {
  /** For `Server.addService`. */
  readonly service: protoLoader.ServiceDefinition;
  readonly sayHello: protoLoader.MethodDefinition<HelloRequest, HelloReply>;
}

let loaded: GreeterDefinition | undefined;

/** Loads `proto/helloworld.proto` (relative to the package, so from src/ and dist/ alike). */
export function greeterDefinition(): GreeterDefinition {
  if (loaded) return loaded;
  const pkg = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const service = pkg['helloworld.Greeter'];
  if (!service || !isService(service) || service.SayHello?.path !== SAY_HELLO_PATH) {
    throw new Error(`${PROTO_PATH}: no helloworld.Greeter/SayHello`);
  }
  // The proto checked above declares SayHello(HelloRequest) returns (HelloReply).
  loaded = { service, sayHello: service.SayHello as protoLoader.MethodDefinition<HelloRequest, HelloReply> };
  return loaded;
}

function isService(definition: protoLoader.AnyDefinition): definition is protoLoader.ServiceDefinition {
  return !('format' in definition);
}

export function greeting(name: string, version: string): string {
  return `Hello ${name || 'world'} from ${version}`;
}

/** `flaky:<n>:<key>`: the first n calls with this key fail with UNAVAILABLE (for retry tests). */
const FLAKY = /^flaky:(\d+):(.+)$/;

/**
 * A gRPC server (not yet bound) serving Greeter as `version`. With `xds`, an xDS-enabled server
 * (gRFC A36, @grpc/grpc-js-xds XdsServer): it reads GRPC_XDS_BOOTSTRAP (which must carry
 * `server_listener_resource_name_template`), asks the control plane for its listener and serves
 * once it has it, with the listener's RBAC filters (gRFC A41) in force.
 */
export function createGreeterServer(version: string, opts: { xds?: boolean } = {}): grpc.Server {
  // register() installs grpc-js-xds's HTTP filters (router, RBAC, fault), which servers use too.
  if (opts.xds) registerXds();
  const server = opts.xds ? new XdsServer() : new grpc.Server();
  const failures = new Map<string, number>();
  const sayHello: grpc.handleUnaryCall<HelloRequest, HelloReply> = (call, callback) => {
    const flaky = FLAKY.exec(call.request.name);
    if (flaky) {
      const seen = failures.get(flaky[2]) ?? 0;
      failures.set(flaky[2], seen + 1);
      if (seen < Number(flaky[1])) return callback({ code: grpc.status.UNAVAILABLE, details: `flaky: failure ${seen + 1} of ${flaky[1]}` });
    }
    const metadata = new grpc.Metadata();
    metadata.set(VERSION_METADATA, version);
    call.sendMetadata(metadata);
    callback(null, { message: greeting(call.request.name, version) });
  };
  server.addService(greeterDefinition().service, { SayHello: sayHello });
  return server;
}

/** Binds insecurely to `host:port` (port 0 picks one) and resolves with the bound port. */
export function bind(server: grpc.Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}

export interface Greeting {
  readonly message: string;
  /** The server's `x-version` response metadata, if any. */
  readonly version: string | undefined;
}

export interface GreeterClient {
  sayHello(name: string, deadlineMs?: number): Promise<Greeting>;
  close(): void;
}

/**
 * A client for `target`: `host:port`, `dns:///host:port`, or `xds:///service:port` (proxyless:
 * registers the xds resolver and uses xDS credentials, falling back to plaintext).
 */
export async function createGreeterClient(target: string): Promise<GreeterClient> {
  let credentials = grpc.credentials.createInsecure();
  if (target.startsWith('xds:')) {
    const xds = await import('@grpc/grpc-js-xds');
    xds.register();
    credentials = new xds.XdsChannelCredentials(credentials);
  }
  const client = new grpc.Client(target, credentials);
  const method = greeterDefinition().sayHello;
  return {
    sayHello: (name, deadlineMs = 5_000) =>
      new Promise((resolve, reject) => {
        let version: string | undefined;
        const call = client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          { name },
          new grpc.Metadata(),
          { deadline: Date.now() + deadlineMs },
          (err, reply) => {
            if (err) reject(err);
            else if (!reply) reject(new Error('empty reply'));
            else resolve({ message: reply.message, version });
          },
        );
        call.on('metadata', (metadata: grpc.Metadata) => {
          const value = metadata.get(VERSION_METADATA)[0];
          version = value === undefined ? undefined : String(value);
        });
      }),
    close: () => client.close(),
  };
}
