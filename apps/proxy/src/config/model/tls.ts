/** TLS versions as node names them (`tls.SecureVersion`). */
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/**
 * A validated DownstreamTlsContext: PEM material already loaded (Envoy reads `filename` data
 * sources when the config is applied, so a missing file rejects the config).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-downstreamtlscontext
 */
export interface DownstreamTlsConfig {
  certificateChain: string;
  privateKey: string;
  /** ALPN protocols offered, in preference order (empty: no ALPN). */
  alpn: readonly string[];
  /** PEM CA bundle clients are verified against (validation_context.trusted_ca). */
  trustedCa?: string;
  requireClientCertificate: boolean;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** OpenSSL cipher list (cipher_suites joined with `:`). */
  ciphers?: string;
}
