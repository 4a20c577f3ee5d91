import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { type DownstreamTlsConfig, hasPins } from '../model';
import { type Issues, at } from './issues';
import { commonTlsContext, isRawBuffer } from './transport-socket';

export { dataSource } from './transport-socket';

/**
 * DownstreamTlsContext: the proxy's certificate (files / inline, or the SDS `default` secret),
 * ALPN, client certificates verified against the trusted CA or the SDS `ROOTCA` secret plus SAN
 * matchers (required with require_client_certificate: Istio's mTLS), protocol versions and
 * cipher suites.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#extensions-transport-sockets-tls-v3-downstreamtlscontext
 */
export function downstreamTlsContext(t: xds.DownstreamTlsContext, path: string, issues: Issues): DownstreamTlsConfig | undefined {
  const errorsBefore = issues.errors.length;
  const cp = at(path, 'commonTlsContext');
  const common = commonTlsContext(t.commonTlsContext ?? {}, cp, issues);
  if (!common.certificates.length && !common.certificateSecrets.length && issues.errors.length === errorsBefore) issues.error(at(cp, 'tlsCertificates'), 'a certificate is required');
  if (t.requireSni?.value) issues.warn(at(path, 'requireSni'), 'not enforced');
  const verifies = common.trustedCa !== undefined || common.validationSecret !== undefined;
  const requireClientCertificate = t.requireClientCertificate?.value ?? false;
  if (requireClientCertificate && !verifies) issues.error(at(path, 'requireClientCertificate'), 'needs a validation context (commonTlsContext.validationContext.trustedCa or an SDS validation secret)');
  if ((common.matchSubjectAltNames.length || hasPins(common.pins)) && !verifies) issues.error(cp, 'SAN matchers and certificate pins need a trusted CA to verify the client first');
  if (issues.errors.length > errorsBefore) return undefined;
  return { ...common, requireClientCertificate };
}

/**
 * A filter chain's transport socket: raw_buffer (plaintext) or `envoy.transport_sockets.tls` with a
 * DownstreamTlsContext (TLS terminated by the proxy). Returns undefined for plaintext.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-transportsocket
 */
export function downstreamTransport(t: xds.TransportSocket, path: string, issues: Issues): DownstreamTlsConfig | undefined {
  if (isRawBuffer(t)) return undefined;
  const type = t.typedConfig?.['@type'];
  if (type === TypeUrl.DownstreamTlsContext) return downstreamTlsContext(t.typedConfig as xds.Any & xds.DownstreamTlsContext, at(path, 'typedConfig'), issues);
  issues.error(path, `transport socket "${t.name}" (${type ?? 'no config'}) is not supported; only raw_buffer and DownstreamTlsContext`);
  return undefined;
}
