import type { Secret } from '../tls';
import { TypeUrl } from '../type-urls';
import type { ResourceType } from './resource-type';

/**
 * Envoy's SDS over ADS: secrets by name, subscribed to by the names the proxy's listeners and
 * clusters reference with `sds_config: {ads: {}}` (Istio's `kubernetes://<credentialName>` and
 * `kubernetes://<credentialName>-cacert`), like EDS follows CDS.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/security/secret
 */
export const secretType: ResourceType<Secret> = {
  typeUrl: TypeUrl.Secret,
  shortName: 'SDS',
  nameOf: (s) => s.name,
  wildcard: false,
};
