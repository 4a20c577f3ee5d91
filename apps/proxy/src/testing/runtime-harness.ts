import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import type * as xds from '@mizzen/xds-types';
import { type ResourceTranslator, clusterResource, endpointResource, listenerResource, routeResource, translateResponse } from '../config/resources';
import { ProxyRuntime, type ProxyRuntimeOptions } from '../runtime';
import { waitUntil } from './wait';

/** Translates bodies as one wildcard response would be; throws on a NACK. */
export function translate<B, T>(t: ResourceTranslator<B, T>, bodies: B[]): Map<string, T> {
  const res: DiscoveryResponseIn = { versionInfo: 'test', typeUrl: t.typeUrl, nonce: '', resources: bodies.map((body) => ({ typeUrl: t.typeUrl, body: body as Record<string, unknown> })) };
  const r = translateResponse(t, res, 'wildcard');
  if (!r.ok) throw new Error(r.error);
  return new Map([...r.value.resources].map(([n, x]) => [n, x.value]));
}

export interface HarnessConfig {
  clusters?: xds.Cluster[];
  endpoints?: xds.ClusterLoadAssignment[];
  listeners?: xds.Listener[];
  routes?: xds.RouteConfiguration[];
}

/**
 * A proxy runtime fed directly with xDS bodies (translated exactly as the xDS client would), for
 * HTTP tests that do not need a control plane.
 */
export async function startRuntime(cfg: HarnessConfig, opts: Partial<ProxyRuntimeOptions> = {}): Promise<ProxyRuntime> {
  const rt = new ProxyRuntime({ log: () => undefined, initialFetchTimeoutMs: 1000, ...opts });
  await applyConfig(rt, cfg);
  return rt;
}

/** Applies config in Envoy's order (CDS, EDS, LDS, RDS) and waits until listeners serve. */
export async function applyConfig(rt: ProxyRuntime, cfg: HarnessConfig): Promise<void> {
  if (cfg.clusters) rt.clusters.applyClusters(translate(clusterResource, cfg.clusters));
  if (cfg.endpoints) rt.clusters.applyEndpoints(translate(endpointResource, cfg.endpoints));
  if (cfg.listeners) rt.listeners.apply(translate(listenerResource, cfg.listeners));
  if (cfg.routes) {
    rt.routes.apply(translate(routeResource, cfg.routes));
    rt.listeners.promote();
  }
  await waitUntil(() => rt.listeners.isReady());
}

