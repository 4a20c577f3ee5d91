import { isIPAddress, isValidCipherSuite, type ServerTLSSettings, type TLSProtocolVersion } from '@mizzen/config-api';
import type { CertificateValidationContext, CommonTlsContext, SubjectAltNameMatcher, TlsCertificate, TlsParameters, TlsProtocol, TransportSocket } from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { credentialSdsSecret } from './credential-sds';
import { tlsTransportSocket } from './tls-context';

/**
 * Server-side TLS from Istio `ServerTLSSettings` (gateway servers and Sidecar ingress listeners),
 * as Istio's `BuildListenerTLSContext` (pilot/pkg/networking/core/listener.go):
 * - certificates: every `credentialName(s)` entry as the SDS secret `kubernetes://<name>` over ADS
 *   (Istio `ApplyCredentialSDSToServerCommonTLSContext`), else the `tlsCertificates` files, else
 *   `serverCertificate` / `privateKey`. Several certificates share one context; Envoy (and the
 *   Mizzen proxy, through OpenSSL) picks the one matching the client's signature algorithms;
 * - MUTUAL / OPTIONAL_MUTUAL verify the client: with a credential against
 *   `kubernetes://<first name>-cacert` in a combined validation context, otherwise against the
 *   `caCertificates` file (the top-level one: Istio ignores `tlsCertificates[*].caCertificates`,
 *   as Envoy validates clients against one CA set) plus the `caCrl` file;
 *   `subjectAltNames`, `verifyCertificateSpki` and `verifyCertificateHash` restrict the client;
 * - MUTUAL requires a client certificate (`require_client_certificate`); OPTIONAL_MUTUAL verifies
 *   one when presented;
 * - `minProtocolVersion`, `maxProtocolVersion` and the valid `cipherSuites` become `tls_params`
 *   (Istio `applyServerTLSSettings`, invalid and repeated suites dropped as `FilterCipherSuites`).
 * https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-downstreamtlscontext
 */
export function serverTlsTransportSocket(tls: ServerTLSSettings, alpn: readonly string[]): TransportSocket {
  const credentials = serverCredentials(tls);
  const common: CommonTlsContext = credentials.length ? { tlsCertificateSdsSecretConfigs: credentials.map((c) => credentialSdsSecret(c)) } : { tlsCertificates: certificateFiles(tls) };
  if (verifiesClient(tls)) {
    if (credentials.length) {
      common.combinedValidationContext = { defaultValidationContext: clientValidation(tls), validationContextSdsSecretConfig: credentialSdsSecret(credentials[0], true) };
    } else {
      common.validationContext = {
        trustedCa: { filename: tls.caCertificates },
        ...clientValidation(tls),
        ...(tls.caCrl ? { crl: { filename: tls.caCrl } } : {}),
      };
    }
  }
  const params = serverTlsParams(tls);
  if (params) common.tlsParams = params;
  if (alpn.length) common.alpnProtocols = [...alpn];
  return tlsTransportSocket({ '@type': TypeUrl.DownstreamTlsContext, commonTlsContext: common, ...(tls.mode === 'MUTUAL' ? { requireClientCertificate: { value: true } } : {}) });
}

/** The credentials a server names: `credentialName`, else `credentialNames` (validation makes them exclusive). */
export function serverCredentials(tls: ServerTLSSettings | undefined): string[] {
  if (tls?.credentialName) return [tls.credentialName];
  return (tls?.credentialNames ?? []).filter(Boolean);
}

/** Whether the settings name a certificate source: credentials, `tlsCertificates`, or `serverCertificate` + `privateKey`. */
export function hasServerCertificate(tls: ServerTLSSettings | undefined): boolean {
  return serverCredentials(tls).length > 0 || (tls !== undefined && certificateFiles(tls).length > 0);
}

/** `tlsCertificates` when present, else the single `serverCertificate` / `privateKey` pair; entries missing a file are left out. */
function certificateFiles(tls: ServerTLSSettings): TlsCertificate[] {
  const pairs = tls.tlsCertificates?.length ? tls.tlsCertificates : [{ serverCertificate: tls.serverCertificate, privateKey: tls.privateKey }];
  return pairs.flatMap((p) => (p.serverCertificate && p.privateKey ? [{ certificateChain: { filename: p.serverCertificate }, privateKey: { filename: p.privateKey } }] : []));
}

/** MUTUAL and OPTIONAL_MUTUAL verify a client certificate: with a credential (its CA secret) or a `caCertificates` file. */
function verifiesClient(tls: ServerTLSSettings): boolean {
  const mutual = tls.mode === 'MUTUAL' || tls.mode === 'OPTIONAL_MUTUAL';
  return mutual && (serverCredentials(tls).length > 0 || !!tls.caCertificates);
}

/** The client restrictions of a validation context: SANs (typed), SPKI and certificate pins. */
function clientValidation(tls: ServerTLSSettings): CertificateValidationContext {
  const v: CertificateValidationContext = {};
  if (tls.subjectAltNames?.length) v.matchTypedSubjectAltNames = tls.subjectAltNames.map(typedSan);
  if (tls.verifyCertificateSpki?.length) v.verifyCertificateSpki = [...tls.verifyCertificateSpki];
  if (tls.verifyCertificateHash?.length) v.verifyCertificateHash = [...tls.verifyCertificateHash];
  return v;
}

/**
 * An exact SAN matcher typed by the value's shape. Istio matches `subjectAltNames` exactly against
 * any SAN type (the deprecated `match_subject_alt_names`); Envoy's typed matchers need the type,
 * which a valid SAN value determines: an IP address, a URI (has a scheme, `spiffe://...`), an
 * email (has `@`), otherwise a DNS name.
 */
function typedSan(value: string): SubjectAltNameMatcher {
  const sanType = isIPAddress(value) ? 'IP_ADDRESS' : value.includes(':') ? 'URI' : value.includes('@') ? 'EMAIL' : 'DNS';
  return { sanType, matcher: { exact: value } };
}

const ENVOY_VERSION: Record<TLSProtocolVersion, TlsProtocol> = { TLS_AUTO: 'TLS_AUTO', TLSV1_0: 'TLSv1_0', TLSV1_1: 'TLSv1_1', TLSV1_2: 'TLSv1_2', TLSV1_3: 'TLSv1_3' };

/** The server's protocol versions and cipher suites, or undefined when it sets none. */
function serverTlsParams(tls: ServerTLSSettings): TlsParameters | undefined {
  const p: TlsParameters = {};
  if (tls.minProtocolVersion && tls.minProtocolVersion !== 'TLS_AUTO') p.tlsMinimumProtocolVersion = ENVOY_VERSION[tls.minProtocolVersion];
  if (tls.maxProtocolVersion && tls.maxProtocolVersion !== 'TLS_AUTO') p.tlsMaximumProtocolVersion = ENVOY_VERSION[tls.maxProtocolVersion];
  const ciphers = [...new Set((tls.cipherSuites ?? []).filter(isValidCipherSuite))];
  if (ciphers.length) p.cipherSuites = ciphers;
  return Object.keys(p).length ? p : undefined;
}
