import tls from 'node:tls';
import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { CertificatePins, CommonTlsConfig, SanMatcher, TlsVersion, TransportSpec, UpstreamTlsConfig } from '../model';
import { hasPins, PLAINTEXT } from '../model';
import { type Issues, at } from './issues';
import { stringMatcher } from './primitives';
import { tlsCertificates } from './tls-certificates';
import { dataSource, secretRef } from './tls-sources';
import { upstreamProxyProtocol } from './upstream-proxy-protocol';

export { dataSource } from './tls-sources';

const VERSIONS: Record<xds.TlsProtocol, TlsVersion | undefined> = {
  TLS_AUTO: undefined,
  TLSv1_0: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

/** The validation context fields we read, including the deprecated SAN list Istio still emits. */
type ValidationContextBody = xds.CertificateValidationContext & { matchSubjectAltNames?: xds.StringMatcher[]; crl?: xds.DataSource };

/** Decoded from the wire, repeated fields are present as empty arrays. */
const isSet = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

const TYPED_STRUCTS = new Set(['type.googleapis.com/xds.type.v3.TypedStruct', 'type.googleapis.com/udpa.type.v1.TypedStruct']);

/** raw_buffer by type (also wrapped in a TypedStruct, as Istio sends it), or by name when the typed config is absent. */
export function isRawBuffer(t: xds.TransportSocket): boolean {
  const type = t.typedConfig?.['@type'];
  if (type !== undefined && TYPED_STRUCTS.has(type)) return (t.typedConfig as xds.Any & { typeUrl?: string }).typeUrl === TypeUrl.RawBuffer;
  return type === TypeUrl.RawBuffer || (type === undefined && t.name.endsWith('raw_buffer'));
}

const SAN_TYPES: Record<string, SanMatcher['type'] | undefined> = { URI: 'URI', DNS: 'DNS', EMAIL: 'EMAIL', IP_ADDRESS: 'IP_ADDRESS' };

/** match_typed_subject_alt_names and the deprecated match_subject_alt_names (any SAN type). */
function sanMatchers(v: ValidationContextBody, path: string, issues: Issues): SanMatcher[] {
  const out: SanMatcher[] = [];
  (v.matchTypedSubjectAltNames ?? []).forEach((m, i) => {
    const p = at(at(path, 'matchTypedSubjectAltNames'), i);
    const type = SAN_TYPES[m.sanType];
    if (!type) issues.error(at(p, 'sanType'), `SAN type ${m.sanType} is not supported (URI, DNS, EMAIL, IP_ADDRESS)`);
    const matcher = m.matcher ? stringMatcher(m.matcher, at(p, 'matcher'), issues) : (issues.error(at(p, 'matcher'), 'is required'), undefined);
    if (type && matcher) out.push({ type, matcher });
  });
  (v.matchSubjectAltNames ?? []).forEach((m, i) => {
    const matcher = stringMatcher(m, at(at(path, 'matchSubjectAltNames'), i), issues);
    if (matcher) out.push({ type: 'any', matcher });
  });
  return out;
}

/** Validation fields we cannot honour: accepting them silently could accept a peer Envoy would refuse. */
function validationChecks(v: ValidationContextBody, path: string, issues: Issues): void {
  if (v.caCertificateProviderInstance) issues.error(at(path, 'caCertificateProviderInstance'), 'certificate providers are not supported');
  if (v.allowExpiredCertificate) issues.warn(at(path, 'allowExpiredCertificate'), 'not honoured: expired certificates are refused');
  if (v.maxVerifyDepth) issues.warn(at(path, 'maxVerifyDepth'), "not applied; OpenSSL's default depth is used");
}

const NO_PINS: CertificatePins = { spki: [], hashes: [] };

/**
 * verify_certificate_spki (base64 SHA-256, 32 bytes) and verify_certificate_hash (hex SHA-256,
 * colons allowed), normalised; a malformed entry rejects the config, as in Envoy.
 */
function certificatePins(v: ValidationContextBody, path: string, issues: Issues): CertificatePins {
  const spki = (v.verifyCertificateSpki ?? []).filter((x, i) => {
    const ok = /^[A-Za-z0-9+/]{43}=$/.test(x);
    if (!ok) issues.error(at(at(path, 'verifyCertificateSpki'), i), `${JSON.stringify(x)} is not a base64 SHA-256 digest`);
    return ok;
  });
  const hashes = (v.verifyCertificateHash ?? []).flatMap((x, i) => {
    const hex = x.replace(/:/g, '').toLowerCase();
    if (/^[0-9a-f]{64}$/.test(hex)) return [hex];
    issues.error(at(at(path, 'verifyCertificateHash'), i), `${JSON.stringify(x)} is not a hex SHA-256 digest`);
    return [];
  });
  return { spki, hashes };
}

type Validation = Pick<CommonTlsConfig, 'trustedCa' | 'crl' | 'validationSecret' | 'matchSubjectAltNames' | 'pins'>;

/** validation_context | validation_context_sds_secret_config | combined_validation_context. */
function validation(c: xds.CommonTlsContext, path: string, issues: Issues): Validation {
  const set = (['validationContext', 'validationContextSdsSecretConfig', 'combinedValidationContext'] as const).filter((k) => isSet(c[k]));
  if (set.length > 1) issues.error(path, `only one of ${set.join(', ')} may be set`);
  const inline = (v: ValidationContextBody | undefined, p: string): Validation => {
    if (!v) return { matchSubjectAltNames: [], pins: NO_PINS };
    validationChecks(v, p, issues);
    return {
      trustedCa: v.trustedCa ? dataSource(v.trustedCa, at(p, 'trustedCa'), issues) : undefined,
      crl: v.crl ? dataSource(v.crl, at(p, 'crl'), issues) : undefined,
      matchSubjectAltNames: sanMatchers(v, p, issues),
      pins: certificatePins(v, p, issues),
    };
  };
  if (c.combinedValidationContext) {
    const p = at(path, 'combinedValidationContext');
    const base = inline(c.combinedValidationContext.defaultValidationContext as ValidationContextBody | undefined, at(p, 'defaultValidationContext'));
    const sds = c.combinedValidationContext.validationContextSdsSecretConfig;
    if (!sds) issues.error(at(p, 'validationContextSdsSecretConfig'), 'is required');
    // A trusted CA in the default context would be merged with the secret's by Envoy; keep it simple.
    if (base.trustedCa) issues.error(at(p, 'defaultValidationContext.trustedCa'), 'with an SDS validation context, the trusted CA comes from the secret');
    return { ...base, trustedCa: undefined, validationSecret: sds && secretRef(sds, at(p, 'validationContextSdsSecretConfig'), issues) };
  }
  if (c.validationContextSdsSecretConfig) return { matchSubjectAltNames: [], pins: NO_PINS, validationSecret: secretRef(c.validationContextSdsSecretConfig, at(path, 'validationContextSdsSecretConfig'), issues) };
  return inline(c.validationContext as ValidationContextBody | undefined, at(path, 'validationContext'));
}

/** Builds a secure context once so a bad inline key, certificate, CA or cipher list rejects the config. */
function checkMaterial(cfg: CommonTlsConfig, path: string, issues: Issues): void {
  try {
    const cert = cfg.certificates.map((c) => c.certificateChain);
    const key = cfg.certificates.map((c) => c.privateKey);
    tls.createSecureContext({ cert, key, ca: cfg.trustedCa, crl: cfg.crl, ciphers: cfg.ciphers, minVersion: cfg.minVersion, maxVersion: cfg.maxVersion });
  } catch (err) {
    issues.error(path, `invalid TLS material: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * CommonTlsContext: certificate (files / inline or SDS), validation (files / inline or SDS, SAN
 * matchers), ALPN, protocol versions (minimum TLS 1.2 by default, as Envoy) and cipher suites.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-commontlscontext
 */
export function commonTlsContext(c: xds.CommonTlsContext, path: string, issues: Issues): CommonTlsConfig {
  const params = c.tlsParams;
  if (params?.ecdhCurves?.length) issues.warn(at(path, 'tlsParams.ecdhCurves'), "not applied; node's default curves are used");
  const cfg: CommonTlsConfig = {
    ...tlsCertificates(c, path, issues),
    ...validation(c, path, issues),
    alpn: c.alpnProtocols ?? [],
    minVersion: VERSIONS[params?.tlsMinimumProtocolVersion ?? 'TLS_AUTO'] ?? 'TLSv1.2',
    maxVersion: VERSIONS[params?.tlsMaximumProtocolVersion ?? 'TLS_AUTO'],
    ciphers: params?.cipherSuites?.length ? params.cipherSuites.join(':') : undefined,
  };
  checkMaterial(cfg, path, issues);
  return cfg;
}

/**
 * UpstreamTlsContext: TLS (or mTLS with a client certificate) to the cluster's hosts, SNI, peer
 * verification against the trusted CA / ROOTCA and SAN matchers. Without a validation context the
 * peer is not verified (Envoy's behaviour; warned).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-upstreamtlscontext
 */
export function upstreamTlsContext(t: xds.UpstreamTlsContext, path: string, issues: Issues): UpstreamTlsConfig {
  const common = commonTlsContext(t.commonTlsContext ?? {}, at(path, 'commonTlsContext'), issues);
  // Envoy: "Only a single TLS certificate is supported in client contexts."
  if (common.certificates.length > 1) issues.error(at(path, 'commonTlsContext.tlsCertificates'), 'a client context holds exactly one certificate');
  if (common.certificateSecrets.length > 1) issues.error(at(path, 'commonTlsContext.tlsCertificateSdsSecretConfigs'), 'a client context holds exactly one certificate');
  if (t.allowRenegotiation) issues.warn(at(path, 'allowRenegotiation'), 'renegotiation is never allowed');
  if (!common.trustedCa && !common.validationSecret) {
    if (common.matchSubjectAltNames.length || hasPins(common.pins)) issues.error(at(path, 'commonTlsContext'), 'SAN matchers and certificate pins need a trusted CA to verify the peer first');
    else issues.warn(at(path, 'commonTlsContext'), 'no validation context: the upstream certificate is not verified');
  }
  return { ...common, sni: t.sni || undefined };
}

/**
 * An upstream transport socket: raw_buffer (plaintext) or `envoy.transport_sockets.tls` with an
 * UpstreamTlsContext, either one possibly wrapped in upstream_proxy_protocol.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-transportsocket
 */
export function transportSocket(t: xds.TransportSocket, path: string, issues: Issues): TransportSpec {
  if (isRawBuffer(t)) return PLAINTEXT;
  const type = t.typedConfig?.['@type'];
  if (type === TypeUrl.ProxyProtocolUpstreamTransport) return upstreamProxyProtocol(t.typedConfig as xds.Any & Partial<xds.ProxyProtocolUpstreamTransport>, at(path, 'typedConfig'), issues, transportSocket);
  if (type === TypeUrl.UpstreamTlsContext) return { name: t.name || 'envoy.transport_sockets.tls', tls: upstreamTlsContext(t.typedConfig as xds.Any & xds.UpstreamTlsContext, at(path, 'typedConfig'), issues) };
  issues.error(path, `upstream transport socket "${t.name}" (${type ?? 'no config'}) is not supported; only raw_buffer, UpstreamTlsContext and upstream_proxy_protocol`);
  return PLAINTEXT;
}
