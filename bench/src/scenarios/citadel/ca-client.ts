import * as grpc from '@grpc/grpc-js';
import { forEachField } from '../convergence/xds-wire';

/** Istio's CA service (istio/api security/v1alpha1/ca.proto), which Citadel serves. */
const CREATE_CERTIFICATE = '/istio.v1.auth.IstioCertificateService/CreateCertificate';

/** IstioCertificateRequest: csr = 1 (string), validity_duration = 3 (int64 seconds). */
function encodeRequest(r: { csr: string; validitySeconds: number }): Buffer {
  const csr = Buffer.from(r.csr, 'utf8');
  const parts: number[] = [0x0a, ...varint(csr.length)];
  const head = Buffer.from(parts);
  const tail = r.validitySeconds > 0 ? Buffer.from([0x18, ...varint(r.validitySeconds)]) : Buffer.alloc(0);
  return Buffer.concat([head, csr, tail]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** IstioCertificateResponse: cert_chain = 1 (repeated string); we only count it. */
function decodeChainLength(b: Buffer): number {
  let n = 0;
  forEachField(b, 0, b.length, (field, wire) => {
    if (field === 1 && wire === 2) n++;
  });
  return n;
}

/**
 * A CreateCertificate client, as a proxy's agent calls Citadel: one TLS channel (HTTP/2
 * connection) verified against the mesh root, bearer token in metadata, requests encoded by hand
 * (two fields) so the bench needs no app code.
 */
export class CaClient {
  private readonly client: grpc.Client;

  constructor(target: string, private readonly token: string, rootPem: string) {
    this.client = new grpc.Client(target, grpc.credentials.createSsl(Buffer.from(rootPem)));
  }

  /** Resolves with the chain length, rejects with the gRPC error. */
  createCertificate(csr: string, validitySeconds = 3600): Promise<number> {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${this.token}`);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(CREATE_CERTIFICATE, encodeRequest, decodeChainLength, { csr, validitySeconds }, md, { deadline: Date.now() + 30_000 }, (err, n) => (err ? reject(err) : resolve(n ?? 0)));
    });
  }

  close(): void {
    this.client.close();
  }
}
