import type * as xds from '@mizzen/xds-types';
import { repeatedKeyType } from '../../tls/key-types';
import type { CommonTlsConfig, PemKeyPair } from '../model';
import { type Issues, at } from './issues';
import { dataSource, secretRef } from './tls-sources';

type Certificates = Pick<CommonTlsConfig, 'certificates' | 'certificateSecrets'>;

/**
 * tls_certificates | tls_certificate_sds_secret_configs. Several entries are served together, one
 * per key type (see CommonTlsConfig.certificates); a second certificate of a type already present
 * is refused here for files (SDS secrets are checked when they arrive).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#envoy-v3-api-field-extensions-transport-sockets-tls-v3-commontlscontext-tls-certificates
 */
export function tlsCertificates(c: xds.CommonTlsContext, path: string, issues: Issues): Certificates {
  if (c.tlsCertificateProviderInstance) issues.error(at(path, 'tlsCertificateProviderInstance'), 'certificate providers are not supported');
  const files = c.tlsCertificates ?? [];
  const sds = c.tlsCertificateSdsSecretConfigs ?? [];
  if (files.length && sds.length) issues.error(path, 'only one of tlsCertificates, tlsCertificateSdsSecretConfigs may be set');
  const certificateSecrets = sds.flatMap((s, i) => secretRef(s, at(at(path, 'tlsCertificateSdsSecretConfigs'), i), issues) ?? []);
  const certificates = files.flatMap((f, i): PemKeyPair[] => {
    const p = at(at(path, 'tlsCertificates'), i);
    const certificateChain = dataSource(f.certificateChain, at(p, 'certificateChain'), issues);
    const privateKey = dataSource(f.privateKey, at(p, 'privateKey'), issues);
    if (privateKey === '') issues.error(at(p, 'privateKey'), 'is required');
    return certificateChain !== undefined && privateKey ? [{ certificateChain, privateKey }] : [];
  });
  const repeated = repeatedKeyType(certificates.map((k) => k.privateKey));
  if (repeated !== undefined) issues.error(at(at(path, 'tlsCertificates'), repeated), 'a context holds one certificate per key type (RSA, ECDSA); this one repeats an earlier type');
  return { certificates, certificateSecrets };
}
