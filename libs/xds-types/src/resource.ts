import type { Cluster } from './cluster';
import type { ClusterLoadAssignment } from './endpoint';
import type { Listener } from './listener';
import type { ProxyConfig } from './proxy-config';
import type { RouteConfiguration } from './route';
import type { Secret } from './tls';
import type { ResourceTypeUrl, TypeUrl } from './type-urls';

/** An xDS resource of one of the resource types (a PCDS ProxyConfig has no name: ''). */
export type XdsResource =
  | { typeUrl: typeof TypeUrl.ProxyConfig; name: string; body: ProxyConfig }
  | { typeUrl: typeof TypeUrl.Secret; name: string; body: Secret }
  | { typeUrl: typeof TypeUrl.Listener; name: string; body: Listener }
  | { typeUrl: typeof TypeUrl.RouteConfiguration; name: string; body: RouteConfiguration }
  | { typeUrl: typeof TypeUrl.Cluster; name: string; body: Cluster }
  | { typeUrl: typeof TypeUrl.ClusterLoadAssignment; name: string; body: ClusterLoadAssignment };

/** The body type of a resource type URL. */
export type ResourceBody<U extends ResourceTypeUrl> = Extract<XdsResource, { typeUrl: U }>['body'];
