import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** `istio.v1.auth.IstioCertificateRequest` as proto-loader delivers it (snake_case kept). */
export interface IstioCertificateRequest {
  csr: string;
  /** int64 as a string (proto-loader `longs: String`). */
  validity_duration: string;
  metadata?: unknown;
}

export interface IstioCertificateResponse {
  cert_chain: string[];
}

/** The proto directory: `apps/citadel/proto`, two levels above both `src/grpc` and `dist/grpc`. */
export const PROTO_DIR = path.resolve(__dirname, '../../proto');
export const CA_PROTO = 'istio/v1/auth/ca.proto';

interface CaServicePackage {
  istio: { v1: { auth: { IstioCertificateService: grpc.ServiceClientConstructor } } };
}

/** Loads Istio's ca.proto; field names are kept as in the .proto (`cert_chain`, `validity_duration`). */
export function loadCaService(): grpc.ServiceClientConstructor {
  const def = protoLoader.loadSync(CA_PROTO, { includeDirs: [PROTO_DIR], keepCase: true, longs: String, defaults: true, enums: String });
  return (grpc.loadPackageDefinition(def) as unknown as CaServicePackage).istio.v1.auth.IstioCertificateService;
}
