import type { ResourceTypeUrl } from '../type-urls';
import { clusterType } from './cluster';
import { clusterLoadAssignmentType } from './cluster-load-assignment';
import { listenerType } from './listener';
import { proxyConfigType } from './proxy-config';
import type { ResourceType } from './resource-type';
import { routeConfigurationType } from './route-configuration';
import { secretType } from './secret';

/**
 * Resource types by type URL, in xDS push order: Istio's PCDS first (trust anchors before the TLS
 * contexts that use them), SDS (credentials a push rotates reach the proxy before config naming
 * them), then CDS before EDS before LDS before RDS, the "make before break" order of the xDS
 * protocol spec.
 */
export const resourceTypes: ReadonlyMap<ResourceTypeUrl, ResourceType<unknown>> = new Map<
  ResourceTypeUrl,
  ResourceType<unknown>
>(
  [proxyConfigType, secretType, clusterType, clusterLoadAssignmentType, listenerType, routeConfigurationType].map(
    (t: ResourceType<unknown>) => [t.typeUrl, t] as const,
  ),
);

/** Whether a type URL is one of the resource types Mizzen serves. */
export function isResourceTypeUrl(typeUrl: string): typeUrl is ResourceTypeUrl {
  return resourceTypes.has(typeUrl as ResourceTypeUrl);
}
