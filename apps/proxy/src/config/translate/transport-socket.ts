import fs from 'node:fs';
import tls from 'node:tls';
import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { CommonTlsConfig, SanMatcher, SecretRef, TlsVersion, TransportSpec, UpstreamTlsConfig } from '../model';
import { isAgentSecretName, PLAINTEXT } from '../model';
import { type Issues, at } from './issues';
import { stringMatcher } from './primitives';
import { upstreamProxyProtocol } from './upstream-proxy-protocol';

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

/**
 * A DataSource's bytes as text: `filename` is read now (a missing file rejects the config, as in
 * Envoy), `inline_string`, `inline_bytes` (base64) or `environment_variable`.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-datasource
 */
export function dataSource(d: xds.DataSource | undefined, path: string, issues: Issues): string | undefined {
  if (!d) {
    issues.error(path, 'is required');
    return undefined;
  }
  if (d.filename !== undefined) {
    try {
      return fs.readFileSync(d.filename, 'utf8');
    } catch (err) {
      issues.error(at(path, 'filename'), `cannot read ${d.filename}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
  if (d.inlineString !== undefined) return d.inlineString;
  if (d.inlineBytes !== undefined) return Buffer.from(d.inlineBytes, 'base64').toString('utf8');
  if (d.environmentVariable !== undefined) {
    const v = process.env[d.environmentVariable];
    if (v === undefined) issues.error(at(path, 'environmentVariable'), `${d.environmentVariable} is not set`);
    return v;
  }
  issues.error(path, 'one of filename, inlineString, inlineBytes, environmentVariable is required');
  return undefined;
}

/**
 * An SdsSecretConfig: the name, resolved from the proxy's secret store, and where the secret comes
 * from: `sds_config: {ads: {}}` means the control plane sends it on the ADS stream (the proxy
 * subscribes to the name), except for the names the agent serves itself (`default`, `ROOTCA`,
 * files), which always come from the agent's store.
 */
function secretRef(s: xds.SdsSecretConfig, path: string, issues: Issues): SecretRef | undefined {
  if (!s.name) {
    issues.error(at(path, 'name'), 'an SDS secret name is required');
    return undefined;
  }
  return s.sdsConfig?.ads && !isAgentSecretName(s.name) ? { name: s.name, path, ads: true } : { name: s.name, path };
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

type Validation = Pick<CommonTlsConfig, 'trustedCa' | 'crl' | 'validationSecret' | 'matchSubjectAltNames'>;

/** validation_context | validation_context_sds_secret_config | combined_validation_context. */
function validation(c: xds.CommonTlsContext, path: string, issues: Issues): Validation {
  const set = (['validationContext', 'validationContextSdsSecretConfig', 'combinedValidationContext'] as const).filter((k) => isSet(c[k]));
  if (set.length > 1) issues.error(path, `only one of ${set.join(', ')} may be set`);
  const inline = (v: ValidationContextBody | undefined, p: string): Validation => {
    if (!v) return { matchSubjectAltNames: [] };
    validationChecks(v, p, issues);
    return {
      trustedCa: v.trustedCa ? dataSource(v.trustedCa, at(p, 'trustedCa'), issues) : undefined,
      crl: v.crl ? dataSource(v.crl, at(p, 'crl'), issues) : undefined,
      matchSubjectAltNames: sanMatchers(v, p, issues),
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
  if (c.validationContextSdsSecretConfig) return { matchSubjectAltNames: [], validationSecret: secretRef(c.validationContextSdsSecretConfig, at(path, 'validationContextSdsSecretConfig'), issues) };
  return inline(c.validationContext as ValidationContextBody | undefined, at(path, 'validationContext'));
}

type Certificate = Pick<CommonTlsConfig, 'certificateChain' | 'privateKey' | 'certificateSecret'>;

/** tls_certificates (one) | tls_certificate_sds_secret_configs (one). */
function certificate(c: xds.CommonTlsContext, path: string, issues: Issues): Certificate {
  if (c.tlsCertificateProviderInstance) issues.error(at(path, 'tlsCertificateProviderInstance'), 'certificate providers are not supported');
  const files = c.tlsCertificates ?? [];
  const sds = c.tlsCertificateSdsSecretConfigs ?? [];
  if (files.length && sds.length) issues.error(path, 'only one of tlsCertificates, tlsCertificateSdsSecretConfigs may be set');
  if (files.length > 1) issues.error(at(path, 'tlsCertificates'), 'exactly one certificate is supported');
  if (sds.length > 1) issues.error(at(path, 'tlsCertificateSdsSecretConfigs'), 'exactly one SDS certificate is supported');
  if (sds.length) return { certificateSecret: secretRef(sds[0], at(at(path, 'tlsCertificateSdsSecretConfigs'), 0), issues) };
  if (!files.length) return {};
  const p = at(at(path, 'tlsCertificates'), 0);
  return { certificateChain: dataSource(files[0].certificateChain, at(p, 'certificateChain'), issues), privateKey: dataSource(files[0].privateKey, at(p, 'privateKey'), issues) };
}

/** Builds a secure context once so a bad inline key, certificate, CA or cipher list rejects the config. */
function checkMaterial(cfg: CommonTlsConfig, path: string, issues: Issues): void {
  try {
    tls.createSecureContext({ cert: cfg.certificateChain, key: cfg.privateKey, ca: cfg.trustedCa, crl: cfg.crl, ciphers: cfg.ciphers, minVersion: cfg.minVersion, maxVersion: cfg.maxVersion });
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
    ...certificate(c, path, issues),
    ...validation(c, path, issues),
    alpn: c.alpnProtocols ?? [],
    minVersion: VERSIONS[params?.tlsMinimumProtocolVersion ?? 'TLS_AUTO'] ?? 'TLSv1.2',
    maxVersion: VERSIONS[params?.tlsMaximumProtocolVersion ?? 'TLS_AUTO'],
    ciphers: params?.cipherSuites?.length ? params.cipherSuites.join(':') : undefined,
  };
  if (cfg.certificateChain !== undefined && !cfg.privateKey) issues.error(at(path, 'tlsCertificates[0].privateKey'), 'is required');
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
  if (t.allowRenegotiation) issues.warn(at(path, 'allowRenegotiation'), 'renegotiation is never allowed');
  if (!common.trustedCa && !common.validationSecret) {
    if (common.matchSubjectAltNames.length) issues.error(at(path, 'commonTlsContext'), 'SAN matchers need a trusted CA to verify the peer first');
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
