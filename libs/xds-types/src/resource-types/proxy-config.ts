import type { ProxyConfig } from '../proxy-config';
import { TypeUrl } from '../type-urls';
import type { ResourceType } from './resource-type';

/** Istio's PCDS: one unnamed ProxyConfig per proxy, subscribed to as a wildcard by the agent. */
export const proxyConfigType: ResourceType<ProxyConfig> = {
  typeUrl: TypeUrl.ProxyConfig,
  shortName: 'PCDS',
  nameOf: () => '',
  wildcard: true,
};
