import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** A service with all four gRPC call shapes, for tests through the proxy. */
const ECHO_PROTO = `syntax = "proto3";
package mizzen.test;
service Echo {
  rpc Unary (Msg) returns (Msg);
  rpc ServerStream (Msg) returns (stream Msg);
  rpc ClientStream (stream Msg) returns (Msg);
  rpc Bidi (stream Msg) returns (stream Msg);
}
message Msg { string text = 1; }
`;

export interface Msg {
  text: string;
}

type Unary = (req: Msg, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Msg) => void) => grpc.ClientUnaryCall;

/** The generated client as tests use it. */
export interface EchoClient extends grpc.Client {
  Unary: Unary;
  ServerStream(req: Msg): grpc.ClientReadableStream<Msg>;
  ClientStream(cb: (err: grpc.ServiceError | null, res?: Msg) => void): grpc.ClientWritableStream<Msg>;
  Bidi(): grpc.ClientDuplexStream<Msg, Msg>;
}

function echoPackage(): grpc.GrpcObject {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-proto-')), 'echo.proto');
  fs.writeFileSync(file, ECHO_PROTO);
  const def = protoLoader.loadSync(file, { keepCase: true });
  return grpc.loadPackageDefinition(def);
}

const service = (): grpc.ServiceClientConstructor => ((echoPackage().mizzen as grpc.GrpcObject).test as grpc.GrpcObject).Echo as grpc.ServiceClientConstructor;

/**
 * An Echo server: Unary answers `<text>` with trailing metadata `x-trailer: done` (text `fail`
 * fails with NOT_FOUND, `slow` waits 2 s); ServerStream sends `<text>-0..4`; ClientStream joins;
 * Bidi echoes each message.
 */
export async function startEchoServer(host: string): Promise<{ port: number; close(): void }> {
  const server = new grpc.Server();
  server.addService(service().service, {
    Unary: (call: grpc.ServerUnaryCall<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => {
      const text = call.request.text;
      if (text === 'fail') return cb({ code: grpc.status.NOT_FOUND, details: 'nope' });
      const trailer = new grpc.Metadata();
      trailer.set('x-trailer', 'done');
      const reply = (): void => cb(null, { text: `${text} via ${String(call.metadata.get('x-forwarded-proto')[0] ?? '-')}` }, trailer);
      if (text === 'slow') setTimeout(reply, 2000);
      else reply();
    },
    ServerStream: (call: grpc.ServerWritableStream<Msg, Msg>) => {
      for (let i = 0; i < 5; i++) call.write({ text: `${call.request.text}-${i}` });
      call.end();
    },
    ClientStream: (call: grpc.ServerReadableStream<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => {
      const parts: string[] = [];
      call.on('data', (m: Msg) => parts.push(m.text));
      call.on('end', () => cb(null, { text: parts.join('+') }));
    },
    Bidi: (call: grpc.ServerDuplexStream<Msg, Msg>) => {
      call.on('data', (m: Msg) => call.write({ text: `echo:${m.text}` }));
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(`${host}:0`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, close: () => server.forceShutdown() };
}

/** A client to `target` (the proxy) sending `authority` as :authority. */
export function echoClient(target: string, authority: string): EchoClient {
  const Ctor = service();
  return new Ctor(target, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority }) as unknown as EchoClient;
}

export function unary(c: EchoClient, text: string, md = new grpc.Metadata()): Promise<{ res?: Msg; err?: grpc.ServiceError; trailers?: grpc.Metadata }> {
  return new Promise((resolve) => {
    let trailers: grpc.Metadata | undefined;
    const call = c.Unary({ text }, md, {}, (err, res) => setImmediate(() => resolve({ res, err: err ?? undefined, trailers })));
    call.on('status', (s: grpc.StatusObject) => (trailers = s.metadata));
  });
}
