import type { Cluster } from '../cluster';
import { TypeUrl } from '../type-urls';
import type { ResourceType } from './resource-type';

export const clusterType: ResourceType<Cluster> = {
  typeUrl: TypeUrl.Cluster,
  shortName: 'CDS',
  nameOf: (c) => c.name,
  wildcard: true,
};
