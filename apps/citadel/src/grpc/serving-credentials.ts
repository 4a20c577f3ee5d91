import * as grpc from '@grpc/grpc-js';

/**
 * How the CSR server is secured: TLS with a certificate Citadel issues itself from its own CA
 * (Istio's istiod serves its CA on 15012 over TLS with its DNS certificate), or plaintext when
 * `--grpc-tls=false` (loopback-only development).
 */
export interface ServingCredentials {
  readonly describe: string;
  server(): grpc.ServerCredentials;
  /** Obtains the first certificate (TLS) before the server binds. */
  start?(): Promise<void>;
  stop?(): void;
}

export const SERVING_CREDENTIALS = Symbol('citadel:serving-credentials');

export const plaintextCredentials: ServingCredentials = {
  describe: 'plaintext',
  server: () => grpc.ServerCredentials.createInsecure(),
};
