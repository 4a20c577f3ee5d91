import type { ClusterLoadAssignment } from '../endpoint';
import { TypeUrl } from '../type-urls';
import type { ResourceType } from './resource-type';

export const clusterLoadAssignmentType: ResourceType<ClusterLoadAssignment> = {
  typeUrl: TypeUrl.ClusterLoadAssignment,
  shortName: 'EDS',
  nameOf: (c) => c.clusterName,
  wildcard: false,
};
