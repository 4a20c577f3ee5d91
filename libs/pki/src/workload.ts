/**
 * What a workload (the proxy's certificate agent and TLS code) uses, on node:crypto alone: key
 * pairs, CSRs, PEM, SPIFFE IDs, chain checks and SAN reading. It never loads @peculiar/x509, which
 * the CA side (`@mizzen/pki`: parsing and signing CSRs, building CAs) needs.
 */
export * from './result';
export * from './keys';
export * from './pem';
export * from './spiffe';
export * from './verify-chain';
export * from './general-names';
export * from './certificate-sans';
export { createCsr } from './csr-request';
