import type { UnsupportedField } from '../../core/kind-module';

/** Gateway fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const gatewayUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'servers[*].tls.credentialNames', reason: 'one certificate per TLS context: only the first name is served (no RSA + ECDSA pair); use credentialName' },
  { path: 'servers[*].tls.tlsCertificates', reason: 'use serverCertificate/privateKey' },
  { path: 'servers[*].tls.caCertificates', reason: 'client certificate verification (MUTUAL) is not implemented at the gateway yet' },
  { path: 'servers[*].defaultEndpoint', reason: 'not implemented' },
];
