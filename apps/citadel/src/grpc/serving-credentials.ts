import * as grpc from '@grpc/grpc-js';

/**
 * How the CSR server is secured. Plaintext on loopback for now; TLS slots in here: Citadel would
 * sign its own serving certificate (DNS SANs) with its CA and serve
 * `grpc.ServerCredentials.createSsl(root, [{ cert_chain, private_key }], false)`, clients verifying
 * against the trust bundle. Nothing else in the server changes.
 */
export interface ServingCredentials {
  readonly describe: string;
  server(): grpc.ServerCredentials;
}

export const SERVING_CREDENTIALS = Symbol('citadel:serving-credentials');

export const plaintextCredentials: ServingCredentials = {
  describe: 'plaintext',
  server: () => grpc.ServerCredentials.createInsecure(),
};
