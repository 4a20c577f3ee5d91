import type { Listener } from '../listener';
import { TypeUrl } from '../type-urls';
import type { ResourceType } from './resource-type';

export const listenerType: ResourceType<Listener> = {
  typeUrl: TypeUrl.Listener,
  shortName: 'LDS',
  nameOf: (l) => l.name,
  wildcard: true,
};
