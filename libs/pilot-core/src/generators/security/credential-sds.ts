import type { ConfigSource, SdsSecretConfig } from '@mizzen/xds-types';

/**
 * `credentialName` as SDS, in Istio's shapes (pilot/pkg/model/credentials, security/model
 * `ConstructSdsSecretConfigForCredential`): the secret `<name>` is the SDS resource
 * `kubernetes://<name>`, its CA (for MUTUAL) `kubernetes://<name>-cacert`, both fetched from
 * Pilot over the ADS stream (`sds_config: {ads: {}}`), not from the agent's `sds-grpc`.
 */
export const CREDENTIAL_RESOURCE_PREFIX = 'kubernetes://';
/** Istio `SdsCaSuffix`: the CA part of a credential. */
export const SDS_CA_SUFFIX = '-cacert';

/** Istio `SDSAdsConfig`. */
export const ADS_SDS_CONFIG: ConfigSource = { ads: {}, resourceApiVersion: 'V3' };

/** `kubernetes://<name>` (a name already carrying the prefix is kept). */
export function credentialResourceName(credentialName: string): string {
  return credentialName.startsWith(CREDENTIAL_RESOURCE_PREFIX) ? credentialName : `${CREDENTIAL_RESOURCE_PREFIX}${credentialName}`;
}

/** The SdsSecretConfig for a credential's certificate, or (`ca`) for its CA certificates. */
export function credentialSdsSecret(credentialName: string, ca = false): SdsSecretConfig {
  return { name: credentialResourceName(credentialName) + (ca ? SDS_CA_SUFFIX : ''), sdsConfig: ADS_SDS_CONFIG };
}

/** A parsed SDS resource name: the secret it reads, and whether only its CA is wanted. */
export interface CredentialRef {
  resourceName: string;
  namespace: string;
  /** The secret name as written (with `-cacert` for a CA resource). */
  name: string;
  caOnly: boolean;
}

/**
 * Istio `ParseResourceName`: `kubernetes://<name>` is a secret of the proxy's namespace,
 * `kubernetes://<namespace>/<name>` names the namespace. Anything else is not a credential.
 */
export function parseCredentialResource(resourceName: string, proxyNamespace: string): CredentialRef | undefined {
  if (!resourceName.startsWith(CREDENTIAL_RESOURCE_PREFIX)) return undefined;
  const rest = resourceName.slice(CREDENTIAL_RESOURCE_PREFIX.length);
  const parts = rest.split('/');
  if (parts.length > 2 || parts.some((p) => !p)) return undefined;
  const [namespace, name] = parts.length === 2 ? parts : [proxyNamespace, parts[0]];
  return { resourceName, namespace, name, caOnly: name.endsWith(SDS_CA_SUFFIX) };
}
