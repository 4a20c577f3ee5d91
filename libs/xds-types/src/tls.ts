/** envoy.extensions.transport_sockets.tls.v3 and upstream HTTP protocol options. */
import type {
  ConfigSource,
  DataSource,
  Http1ProtocolOptions,
  Http2ProtocolOptions,
  HttpProtocolOptions as CoreHttpProtocolOptions,
  UpstreamHttpProtocolOptions,
} from './core';
import type { HttpFilter } from './http-connection-manager';
import type { StringMatcher } from './matcher';
import type { BoolValue, UInt32Value } from './wkt';

export type TlsProtocol = 'TLS_AUTO' | 'TLSv1_0' | 'TLSv1_1' | 'TLSv1_2' | 'TLSv1_3';

/** @proto envoy.extensions.transport_sockets.tls.v3.TlsParameters */
export interface TlsParameters {
  tlsMinimumProtocolVersion?: TlsProtocol;
  tlsMaximumProtocolVersion?: TlsProtocol;
  cipherSuites?: string[];
  ecdhCurves?: string[];
}

/** @proto envoy.extensions.transport_sockets.tls.v3.TlsCertificate */
export interface TlsCertificate {
  certificateChain?: DataSource;
  privateKey?: DataSource;
}

/** @proto envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig */
export interface SdsSecretConfig {
  /** Istio: 'default' (workload cert) or 'ROOTCA'. */
  name: string;
  sdsConfig?: ConfigSource;
}

/** @proto envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance */
export interface CertificateProviderPluginInstance {
  instanceName: string;
  certificateName?: string;
}

/** @proto envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher */
export interface SubjectAltNameMatcher {
  sanType: 'SAN_TYPE_UNSPECIFIED' | 'EMAIL' | 'DNS' | 'URI' | 'IP_ADDRESS' | 'OTHER_NAME';
  matcher: StringMatcher;
}

/** @proto envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext */
export interface CertificateValidationContext {
  trustedCa?: DataSource;
  caCertificateProviderInstance?: CertificateProviderPluginInstance;
  matchTypedSubjectAltNames?: SubjectAltNameMatcher[];
  /** Deprecated in Envoy for matchTypedSubjectAltNames but still honoured; Istio emits this one. */
  matchSubjectAltNames?: StringMatcher[];
  /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo (DER); the peer's must be one of them. */
  verifyCertificateSpki?: string[];
  /** Hex SHA-256 of the certificate (DER), colons optional; the peer's must be one of them (or of the SPKI list). */
  verifyCertificateHash?: string[];
  /** Certificate revocation list (DestinationRule / Gateway `caCrl`). */
  crl?: DataSource;
  allowExpiredCertificate?: boolean;
  maxVerifyDepth?: UInt32Value;
}

/** @proto envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext */
export interface CombinedCertificateValidationContext {
  defaultValidationContext: CertificateValidationContext;
  validationContextSdsSecretConfig: SdsSecretConfig;
}

/**
 * At most one of validationContext | validationContextSdsSecretConfig | combinedValidationContext.
 * @proto envoy.extensions.transport_sockets.tls.v3.CommonTlsContext
 */
export interface CommonTlsContext {
  tlsParams?: TlsParameters;
  tlsCertificates?: TlsCertificate[];
  tlsCertificateSdsSecretConfigs?: SdsSecretConfig[];
  tlsCertificateProviderInstance?: CertificateProviderPluginInstance;
  validationContext?: CertificateValidationContext;
  validationContextSdsSecretConfig?: SdsSecretConfig;
  combinedValidationContext?: CombinedCertificateValidationContext;
  /** Istio: ['istio-peer-exchange', 'istio'] (+ 'h2' for HTTP/2). */
  alpnProtocols?: string[];
}

/** @proto envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext */
export interface UpstreamTlsContext {
  commonTlsContext?: CommonTlsContext;
  /** Istio: 'outbound_.<port>_.<subset>_.<host>'. */
  sni?: string;
  allowRenegotiation?: boolean;
}

/** @proto envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext */
export interface DownstreamTlsContext {
  commonTlsContext?: CommonTlsContext;
  requireClientCertificate?: BoolValue;
  requireSni?: BoolValue;
}

/** @proto envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig */
export interface ExplicitHttpConfig {
  httpProtocolOptions?: Http1ProtocolOptions;
  http2ProtocolOptions?: Http2ProtocolOptions;
}

/** @proto envoy.extensions.upstreams.http.v3.HttpProtocolOptions.UseDownstreamHttpConfig */
export interface UseDownstreamHttpConfig {
  httpProtocolOptions?: Http1ProtocolOptions;
  http2ProtocolOptions?: Http2ProtocolOptions;
}

/** @proto envoy.extensions.upstreams.http.v3.HttpProtocolOptions.AutoHttpConfig */
export interface AutoHttpConfig {
  httpProtocolOptions?: Http1ProtocolOptions;
  http2ProtocolOptions?: Http2ProtocolOptions;
}

/**
 * Cluster typedExtensionProtocolOptions['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].
 * One of explicitHttpConfig | useDownstreamProtocolConfig | autoConfig.
 * @proto envoy.extensions.upstreams.http.v3.HttpProtocolOptions
 */
export interface UpstreamHttpProtocolOptionsExtension {
  commonHttpProtocolOptions?: CoreHttpProtocolOptions;
  upstreamHttpProtocolOptions?: UpstreamHttpProtocolOptions;
  explicitHttpConfig?: ExplicitHttpConfig;
  useDownstreamProtocolConfig?: UseDownstreamHttpConfig;
  autoConfig?: AutoHttpConfig;
  /** Upstream HTTP filters (the last must be envoy.filters.http.upstream_codec). */
  httpFilters?: HttpFilter[];
}

/**
 * An SDS resource: a certificate with its key, or a validation context (trusted CAs).
 * @proto envoy.extensions.transport_sockets.tls.v3.Secret
 */
export interface Secret {
  name: string;
  tlsCertificate?: TlsCertificate;
  validationContext?: CertificateValidationContext;
}
