import { TypeUrl, type ResourceTypeUrl } from '@mizzen/xds-types';

/**
 * Push order within one push: PCDS (trust anchors), SDS (credentials), CDS, EDS, LDS, RDS, so a
 * referenced resource arrives before its user (Envoy's "eventual consistency considerations", xDS
 * protocol docs).
 */
export const PUSH_ORDER: readonly ResourceTypeUrl[] = [TypeUrl.ProxyConfig, TypeUrl.Secret, TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.Listener, TypeUrl.RouteConfiguration];

export const SHORT_NAME: Readonly<Record<string, string>> = {
  [TypeUrl.ProxyConfig]: 'PCDS',
  [TypeUrl.Secret]: 'SDS',
  [TypeUrl.Listener]: 'LDS',
  [TypeUrl.RouteConfiguration]: 'RDS',
  [TypeUrl.Cluster]: 'CDS',
  [TypeUrl.ClusterLoadAssignment]: 'EDS',
};

export function isResourceType(t: string): t is ResourceTypeUrl {
  return t in SHORT_NAME;
}
