import type { ProxyType } from '@mizzen/mesh-model';
import type { ResourceTypeUrl, XdsResource } from '@mizzen/xds-types';
import { edsGenerator } from './common/eds';
import { gatewayListeners } from './gateway/listeners';
import { gatewayRoutes } from './gateway/routes';
import { proxylessClusters } from './proxyless/clusters';
import { proxylessListeners } from './proxyless/listeners';
import { proxylessRoutes } from './proxyless/routes';
import { meshClusters } from './sidecar/clusters';
import { sidecarListeners } from './sidecar/listeners';
import { sidecarRoutes } from './sidecar/routes';
import type { GenerationContext, Generator } from './types';

/** Generators by proxy type and type URL: the one table the server looks resources up in. */
const TABLE: Readonly<Record<ProxyType, readonly Generator[]>> = {
  sidecar: [sidecarListeners, sidecarRoutes, meshClusters, edsGenerator],
  router: [gatewayListeners, gatewayRoutes, meshClusters, edsGenerator],
  proxyless: [proxylessListeners, proxylessRoutes, proxylessClusters, edsGenerator],
};

export function generatorFor(type: ProxyType, typeUrl: string): Generator | undefined {
  return TABLE[type].find((g) => g.typeUrl === typeUrl);
}

/** Generates the resources of one type for one proxy; [] for types it does not serve. */
export function generate(ctx: GenerationContext, typeUrl: ResourceTypeUrl): XdsResource[] {
  return generatorFor(ctx.proxy.type, typeUrl)?.generate(ctx) ?? [];
}

/** Whether the proxy type subscribes to `typeUrl` with wildcard (all resources) semantics. */
export function isWildcardType(type: ProxyType, typeUrl: string): boolean {
  return type !== 'proxyless' && (typeUrl.endsWith('.Listener') || typeUrl.endsWith('.Cluster'));
}
