import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';

/**
 * The part of Istio's `security/v1alpha1/ca.proto` (package istio.v1.auth) the agent sends and
 * reads; field numbers as upstream, so Citadel and istiod both understand it. `metadata` (4) is
 * not sent.
 */
const CA_PROTO = `
syntax = "proto3";
package istio.v1.auth;
message IstioCertificateRequest { string csr = 1; int64 validity_duration = 3; }
message IstioCertificateResponse { repeated string cert_chain = 1; }
`;

const METHOD = '/istio.v1.auth.IstioCertificateService/CreateCertificate';

interface CreateCertificateRequest {
  csr: string;
  validity_duration: number;
}

const root = protobuf.parse(CA_PROTO, { keepCase: true }).root;
const Request = root.lookupType('istio.v1.auth.IstioCertificateRequest');
const Response = root.lookupType('istio.v1.auth.IstioCertificateResponse');

const serialize = (r: CreateCertificateRequest): Buffer => Buffer.from(Request.encode(Request.fromObject(r)).finish());
const deserialize = (b: Buffer): string[] => (Response.toObject(Response.decode(b), { arrays: true }) as { cert_chain: string[] }).cert_chain;

/**
 * How the agent reaches the CA: TLS verified against a root file plus the roots the workload
 * already trusts (ROOTCA: so a rotated root that re-issued Citadel's certificate is followed), or
 * plaintext without a root file (Citadel `--grpc-tls=false`).
 */
export interface CaTransport {
  /** PEM file of the CA server's root (`--ca-root-file`, Istio's mounted root-cert.pem): TLS when set; read for every request. */
  rootFile?: string;
  /** Overrides the name checked against the server certificate (default: the host of the address). */
  serverName?: string;
}

export type CreateCertificateResult = { ok: true; chain: string[] } | { ok: false; code: grpc.status; message: string };

/**
 * A client of `istio.v1.auth.IstioCertificateService/CreateCertificate`: sends the CSR with
 * `authorization: Bearer <token>` and returns `cert_chain` (leaf first, roots last).
 * https://github.com/istio/api/blob/master/security/v1alpha1/ca.proto
 */
export class CaServiceClient {
  private client?: grpc.Client;
  /** The roots the current channel verifies with ('' = plaintext). */
  private roots?: string;

  constructor(
    readonly address: string,
    private readonly transport: CaTransport = {},
    private readonly trustedRoots: () => string | undefined = () => undefined,
  ) {}

  /** The channel for the current roots: a new one when they changed (a rotation), else the same. */
  private channel(): grpc.Client {
    const roots = this.transport.rootFile ? fs.readFileSync(this.transport.rootFile, 'utf8') + (this.trustedRoots() ?? '') : '';
    if (this.client && roots === this.roots) return this.client;
    this.client?.close();
    const creds = roots ? grpc.credentials.createSsl(Buffer.from(roots)) : grpc.credentials.createInsecure();
    const options: grpc.ChannelOptions = { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 10_000 };
    if (this.transport.serverName) options['grpc.ssl_target_name_override'] = this.transport.serverName;
    this.roots = roots;
    this.client = new grpc.Client(this.address, creds, options);
    return this.client;
  }

  createCertificate(csr: string, token: string, validitySeconds: number, timeoutMs = 10_000): Promise<CreateCertificateResult> {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    let client: grpc.Client;
    try {
      client = this.channel();
    } catch (err) {
      return Promise.resolve({ ok: false, code: grpc.status.UNAVAILABLE, message: `CA root file ${this.transport.rootFile}: ${(err as Error).message}` });
    }
    return new Promise((resolve) => {
      client.makeUnaryRequest<CreateCertificateRequest, string[]>(METHOD, serialize, deserialize, { csr, validity_duration: validitySeconds }, md, { deadline: Date.now() + timeoutMs }, (err, chain) => {
        if (err) resolve({ ok: false, code: err.code, message: `${grpc.status[err.code] ?? err.code}: ${err.details || err.message}` });
        else resolve({ ok: true, chain: chain ?? [] });
      });
    });
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
