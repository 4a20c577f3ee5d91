import type { ResourceTypeUrl } from '../type-urls';

/**
 * What the xDS machinery needs to know about one resource type, one small module per type (as
 * grpc-js-xds does with XdsResourceType subclasses). Everything type-specific lives here, so
 * stream handling never switches on type URLs.
 */
export interface ResourceType<B> {
  typeUrl: ResourceTypeUrl;
  /** 'LDS' | 'RDS' | 'CDS' | 'EDS' | 'SDS' (Envoy's), 'PCDS' (Istio's), for logs and metrics. */
  shortName: 'LDS' | 'RDS' | 'CDS' | 'EDS' | 'SDS' | 'PCDS';
  /** The resource's name as clients subscribe to it. */
  nameOf(body: B): string;
  /**
   * Wildcard-subscribed (LDS, CDS): a SotW response carries every resource and a resource absent
   * from it is deleted. RDS/EDS responses may carry a subset.
   */
  wildcard: boolean;
}
