import type { ProxyNode } from '@mizzen/mesh-model';
import type { ResourceTypeUrl, XdsResource } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../snapshot/mesh-snapshot';

/** Everything a generator may read. No I/O, no clock, no environment. */
export interface GenerationContext {
  snapshot: MeshSnapshot;
  proxy: ProxyNode;
  /** Requested names for non-wildcard subscriptions (RDS, EDS; every type for proxyless clients). */
  names?: readonly string[];
}

/** One resource type for one kind of proxy: a pure function of the context, sorted output. */
export interface Generator {
  typeUrl: ResourceTypeUrl;
  generate(ctx: GenerationContext): XdsResource[];
}
