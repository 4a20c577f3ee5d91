import type { RouteConfiguration } from '../route';
import { TypeUrl } from '../type-urls';
import type { ResourceType } from './resource-type';

export const routeConfigurationType: ResourceType<RouteConfiguration> = {
  typeUrl: TypeUrl.RouteConfiguration,
  shortName: 'RDS',
  nameOf: (r) => r.name,
  wildcard: false,
};
