import type { StringMatcher } from './matchers';

/** TLS versions as node names them (`tls.SecureVersion`). */
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** An SDS secret a context refers to, with the field path it came from (for errors). */
export interface SecretRef {
  name: string;
  path: string;
  /**
   * `sds_config: {ads: {}}` naming a secret the agent does not serve ({@link isAgentSecretName}):
   * it comes from the control plane on the ADS stream (Istio's `kubernetes://<credentialName>`),
   * subscribed to by name; otherwise from the agent's store.
   */
  ads?: boolean;
}

/**
 * A SubjectAltNameMatcher: `any` is the deprecated `match_subject_alt_names` (matched against DNS,
 * URI, email and IP SANs alike); the others are `match_typed_subject_alt_names` san types.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/common.proto#extensions-transport-sockets-tls-v3-subjectaltnamematcher
 */
export interface SanMatcher {
  type: 'any' | 'URI' | 'DNS' | 'EMAIL' | 'IP_ADDRESS';
  matcher: StringMatcher;
}

/** A PEM certificate chain and its private key. */
export interface PemKeyPair {
  certificateChain: string;
  privateKey: string;
}

/**
 * The CommonTlsContext parts we honour. The certificates are inline / file PEM or SDS secrets
 * (`default`, `kubernetes://<name>`); the validation context inline / file PEM or an SDS secret
 * (`ROOTCA`), plus SAN matchers and pins. Secrets are resolved at run time from the secret store,
 * so a rotation needs no new config.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-commontlscontext
 */
export interface CommonTlsConfig {
  /**
   * tls_certificates (files read when applied). A server context may hold one per key type (an
   * RSA and an ECDSA certificate, as Envoy): OpenSSL presents the one the client's signature
   * algorithms allow. A client context holds at most one.
   */
  certificates: readonly PemKeyPair[];
  /** tls_certificate_sds_secret_configs, with the same rule. */
  certificateSecrets: readonly SecretRef[];
  /** PEM CA bundle (validation_context.trusted_ca). */
  trustedCa?: string;
  /** PEM CRLs (validation context `crl`, DestinationRule `caCrl`): every certificate of the peer's chain is checked. */
  crl?: string;
  /** validation_context_sds_secret_config, or combined_validation_context's SDS part. */
  validationSecret?: SecretRef;
  /** The peer must carry a SAN matching one of these (empty: any verified peer). */
  matchSubjectAltNames: readonly SanMatcher[];
  /** verify_certificate_spki / verify_certificate_hash: when either is set, the peer certificate must match one entry of either. */
  pins: CertificatePins;
  /** ALPN protocols offered, in preference order (empty: no ALPN). */
  alpn: readonly string[];
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** OpenSSL cipher list (cipher_suites joined with `:`). */
  ciphers?: string;
}

/**
 * Certificate pins, normalised: base64 SHA-256 digests of the SubjectPublicKeyInfo (DER) and
 * lower-case hex SHA-256 digests of the certificate (DER) without colons.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/common.proto#envoy-v3-api-field-extensions-transport-sockets-tls-v3-certificatevalidationcontext-verify-certificate-spki
 */
export interface CertificatePins {
  spki: readonly string[];
  hashes: readonly string[];
}

/** Whether any pin is set (the peer certificate must then match one). */
export function hasPins(p: CertificatePins): boolean {
  return p.spki.length > 0 || p.hashes.length > 0;
}

/**
 * A validated DownstreamTlsContext: PEM material already loaded (Envoy reads `filename` data
 * sources when the config is applied, so a missing file rejects the config).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-downstreamtlscontext
 */
export interface DownstreamTlsConfig extends CommonTlsConfig {
  requireClientCertificate: boolean;
}

/**
 * A validated UpstreamTlsContext.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-upstreamtlscontext
 */
export interface UpstreamTlsConfig extends CommonTlsConfig {
  /** SNI sent (Istio: `outbound_.<port>_.<subset>_.<host>`); none when unset. */
  sni?: string;
}

/**
 * Names the proxy's own agent serves whatever a config's `sds_config` says: Istio's `default`
 * and `ROOTCA`, and the `file-cert:` / `file-root:` names (the proxy and its agent are one process).
 */
export function isAgentSecretName(name: string): boolean {
  return name === 'default' || name === 'ROOTCA' || name.startsWith('file-cert:') || name.startsWith('file-root:');
}

/** The SDS names a TLS config fetches over ADS (see {@link SecretRef.ads}). */
export function adsSecretNames(c: CommonTlsConfig | undefined): string[] {
  return c ? secretRefs(c).flatMap((r) => (r.ads ? [r.name] : [])) : [];
}

/** The secrets a TLS config refers to. */
export function secretRefs(c: CommonTlsConfig): Array<SecretRef & { kind: 'certificate' | 'validation' }> {
  const out: Array<SecretRef & { kind: 'certificate' | 'validation' }> = [];
  for (const r of c.certificateSecrets) out.push({ ...r, kind: 'certificate' });
  if (c.validationSecret) out.push({ ...c.validationSecret, kind: 'validation' });
  return out;
}
