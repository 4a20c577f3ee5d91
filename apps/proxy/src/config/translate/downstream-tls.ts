import fs from 'node:fs';
import tls from 'node:tls';
import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { DownstreamTlsConfig, TlsVersion } from '../model';
import { type Issues, at } from './issues';

const RAW_BUFFER_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';

const VERSIONS: Record<xds.TlsProtocol, TlsVersion | undefined> = {
  TLS_AUTO: undefined,
  TLSv1_0: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

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

/** Fields we cannot honour are errors: silently skipping client-certificate checks would be unsafe. */
function rejectUnsupported(c: xds.CommonTlsContext, path: string, issues: Issues): void {
  const unsupported: Array<[keyof xds.CommonTlsContext, string]> = [
    ['tlsCertificateSdsSecretConfigs', 'SDS certificates are not supported; use tlsCertificates'],
    ['tlsCertificateProviderInstance', 'certificate providers are not supported'],
    ['validationContextSdsSecretConfig', 'SDS validation contexts are not supported'],
    ['combinedValidationContext', 'SDS validation contexts are not supported'],
  ];
  // Decoded from the wire, repeated fields are present as empty arrays.
  const set = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  for (const [field, message] of unsupported) if (set(c[field])) issues.error(at(path, field), message);
  const v = c.validationContext;
  if (v?.matchTypedSubjectAltNames?.length) issues.error(at(path, 'validationContext.matchTypedSubjectAltNames'), 'subject alt name matching is not supported');
  if (v?.caCertificateProviderInstance) issues.error(at(path, 'validationContext.caCertificateProviderInstance'), 'certificate providers are not supported');
  if (c.tlsParams?.ecdhCurves?.length) issues.warn(at(path, 'tlsParams.ecdhCurves'), "not applied; node's default curves are used");
}

/** Builds a secure context once so a bad key, certificate or cipher list rejects the config. */
function validate(cfg: DownstreamTlsConfig, path: string, issues: Issues): void {
  try {
    tls.createSecureContext({ cert: cfg.certificateChain, key: cfg.privateKey, ca: cfg.trustedCa, ciphers: cfg.ciphers, minVersion: cfg.minVersion, maxVersion: cfg.maxVersion });
  } catch (err) {
    issues.error(path, `invalid TLS material: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * DownstreamTlsContext: one certificate chain and key (files or inline), ALPN, optional client
 * certificate verification against trusted_ca, protocol versions and cipher suites.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto
 */
export function downstreamTlsContext(t: xds.DownstreamTlsContext, path: string, issues: Issues): DownstreamTlsConfig | undefined {
  const c = t.commonTlsContext ?? {};
  const cp = at(path, 'commonTlsContext');
  rejectUnsupported(c, cp, issues);
  const certs = c.tlsCertificates ?? [];
  if (certs.length !== 1) issues.error(at(cp, 'tlsCertificates'), certs.length ? 'exactly one certificate is supported' : 'a certificate is required');
  if (t.requireSni?.value) issues.warn(at(path, 'requireSni'), 'not enforced');
  const certificateChain = certs[0] && dataSource(certs[0].certificateChain, at(cp, 'tlsCertificates[0].certificateChain'), issues);
  const privateKey = certs[0] && dataSource(certs[0].privateKey, at(cp, 'tlsCertificates[0].privateKey'), issues);
  const ca = c.validationContext?.trustedCa;
  const trustedCa = ca ? dataSource(ca, at(cp, 'validationContext.trustedCa'), issues) : undefined;
  const requireClientCertificate = t.requireClientCertificate?.value ?? false;
  if (requireClientCertificate && !trustedCa) issues.error(at(path, 'requireClientCertificate'), 'needs commonTlsContext.validationContext.trustedCa');
  const params = c.tlsParams;
  if (!certificateChain || !privateKey) return undefined;
  const cfg: DownstreamTlsConfig = {
    certificateChain,
    privateKey,
    alpn: c.alpnProtocols ?? [],
    trustedCa,
    requireClientCertificate,
    minVersion: VERSIONS[params?.tlsMinimumProtocolVersion ?? 'TLS_AUTO'] ?? 'TLSv1.2',
    maxVersion: VERSIONS[params?.tlsMaximumProtocolVersion ?? 'TLS_AUTO'],
    ciphers: params?.cipherSuites?.length ? params.cipherSuites.join(':') : undefined,
  };
  validate(cfg, cp, issues);
  return cfg;
}

/**
 * A filter chain's transport socket: raw_buffer (plaintext) or `envoy.transport_sockets.tls` with a
 * DownstreamTlsContext (TLS terminated by the proxy). Returns undefined for plaintext.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-transportsocket
 */
export function downstreamTransport(t: xds.TransportSocket, path: string, issues: Issues): DownstreamTlsConfig | undefined {
  const type = t.typedConfig?.['@type'];
  if (type === RAW_BUFFER_TYPE || (type === undefined && t.name.endsWith('raw_buffer'))) return undefined;
  if (type === TypeUrl.DownstreamTlsContext) return downstreamTlsContext(t.typedConfig as xds.Any & xds.DownstreamTlsContext, at(path, 'typedConfig'), issues);
  issues.error(path, `transport socket "${t.name}" (${type ?? 'no config'}) is not supported; only raw_buffer and DownstreamTlsContext`);
  return undefined;
}
