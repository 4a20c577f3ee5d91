import type { UnsupportedField } from '../../core/kind-module';

/** Gateway fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const gatewayUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'servers[*].tls.credentialName', reason: 'no secret store in local mode: use serverCertificate/privateKey files; the server is skipped' },
  { path: 'servers[*].tls.credentialNames', reason: 'no secret store in local mode: use serverCertificate/privateKey files; the server is skipped' },
  { path: 'servers[*].tls.tlsCertificates', reason: 'use serverCertificate/privateKey' },
  { path: 'servers[*].tls.caCertificates', reason: 'client certificate verification (MUTUAL) is not implemented at the gateway yet' },
  { path: 'servers[*].defaultEndpoint', reason: 'not implemented' },
];
