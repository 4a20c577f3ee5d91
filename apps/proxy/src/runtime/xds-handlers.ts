import { TypeUrl } from '@mizzen/xds-types';
import { type ResourceTranslator, type TranslatedResponse, clusterResource, endpointResource, listenerResource, routeResource, translateResponse } from '../config/resources';
import type { AdsClient, TypeHandler } from '../xds-client';
import type { ProxyRuntime } from './proxy-runtime';
import { type SecretCheck, secretCheck } from './secret-check';

/** Stat prefixes per type: Envoy's for CDS and LDS; aggregate ones for EDS and RDS. */
const STAT_PREFIX: Record<string, string> = {
  CDS: 'cluster_manager.cds',
  EDS: 'cluster_manager.eds',
  LDS: 'listener_manager.lds',
  RDS: 'rds',
};

/**
 * A TypeHandler for one resource type: translate every resource, NACK on any error, else apply
 * and record the ACKed bodies. Counters follow Envoy's update_attempt / update_success /
 * update_rejected.
 */
function handler<B, T>(rt: ProxyRuntime, t: ResourceTranslator<B, T>, apply: (r: TranslatedResponse<B, T>) => void, check?: (r: TranslatedResponse<B, T>) => SecretCheck): TypeHandler {
  const prefix = STAT_PREFIX[t.shortName];
  return {
    apply: (res, subscribed) => {
      rt.stats.counter(`${prefix}.update_attempt`).inc();
      const translated = translateResponse(t, res, subscribed);
      const checked = translated.ok ? check?.(translated.value) : undefined;
      const result: typeof translated = checked?.error ? { ok: false, error: checked.error } : translated;
      if (!result.ok) {
        rt.stats.counter(`${prefix}.update_rejected`).inc();
        rt.opts.log(`${t.shortName} update ${JSON.stringify(res.versionInfo)} rejected: ${result.error}`);
        return result.error;
      }
      for (const w of [...result.value.warnings, ...(checked?.warnings ?? [])]) rt.opts.log(`warning: ${w}`);
      apply(result.value);
      const resources = [...result.value.resources.values()];
      rt.snapshot.record(t.typeUrl, res.versionInfo, resources, t.wildcard);
      rt.stats.counter(`${prefix}.update_success`).inc();
      return undefined;
    },
  };
}

const valuesByName = <B, T>(r: TranslatedResponse<B, T>): Map<string, T> => new Map([...r.resources].map(([n, x]) => [n, x.value]));

/**
 * Registers CDS, EDS, LDS and RDS with the ADS client, in Envoy's order. Applying CDS updates the
 * EDS subscription; applying LDS updates the RDS subscription; RDS promotes warming listeners.
 */
export function registerXdsHandlers(client: AdsClient, rt: ProxyRuntime): void {
  const syncEds = (): void => {
    const names = rt.clusters.edsServiceNames();
    client.setResourceNames(TypeUrl.ClusterLoadAssignment, names);
    rt.snapshot.retain(TypeUrl.ClusterLoadAssignment, names);
  };
  const syncRds = (): void => {
    const names = rt.listeners.routeConfigNames();
    client.setResourceNames(TypeUrl.RouteConfiguration, names);
    rt.snapshot.retain(TypeUrl.RouteConfiguration, names);
    rt.routes.retain(new Set(names));
  };
  client.register(
    TypeUrl.Cluster,
    handler(
      rt,
      clusterResource,
      (r) => {
        rt.clusters.applyClusters(valuesByName(r));
        syncEds();
      },
      (r) => secretCheck(r.resources, 'CDS', rt.secrets),
    ),
    true,
  );
  client.register(
    TypeUrl.ClusterLoadAssignment,
    handler(rt, endpointResource, (r) => rt.clusters.applyEndpoints(valuesByName(r))),
    false,
  );
  client.register(
    TypeUrl.Listener,
    handler(
      rt,
      listenerResource,
      (r) => {
        rt.listeners.apply(valuesByName(r));
        syncRds();
      },
      (r) => secretCheck(r.resources, 'LDS', rt.secrets),
    ),
    true,
  );
  client.register(
    TypeUrl.RouteConfiguration,
    handler(rt, routeResource, (r) => {
      rt.routes.apply(valuesByName(r));
      rt.listeners.promote();
    }),
    false,
  );
}
