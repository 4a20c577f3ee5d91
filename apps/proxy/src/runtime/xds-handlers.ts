import { TypeUrl } from '@mizzen/xds-types';
import { type ResourceTranslator, type TranslatedResponse, clusterResource, endpointResource, listenerResource, routeResource, translateResponse } from '../config/resources';
import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import type { AdsClient, TypeHandler } from '../xds-client';
import type { ProxyRuntime } from './proxy-runtime';
import { sdsHandler } from './sds-handler';
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
function handler<B, T>(rt: ProxyRuntime, t: ResourceTranslator<B, T>, apply: (r: TranslatedResponse<B, T>) => void, check?: (r: TranslatedResponse<B, T>) => SecretCheck, onApplied?: AppliedHook): TypeHandler {
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
      rt.settledGc.configChanged();
      onApplied?.(res, subscribed);
      return undefined;
    },
  };
}

const valuesByName = <B, T>(r: TranslatedResponse<B, T>): Map<string, T> => new Map([...r.resources].map(([n, x]) => [n, x.value]));

/** Told after a response was applied (it will be ACKed): the primary forwards it to its workers. */
export type AppliedHook = (res: DiscoveryResponseIn, subscribed: ReadonlySet<string> | 'wildcard') => void;

/** Where subscription changes go: the ADS client, or nowhere in a worker (the primary subscribes). */
export interface SubscriptionSink {
  setResourceNames(typeUrl: string, names: readonly string[]): void;
}

export interface XdsTypeHandler {
  typeUrl: string;
  handler: TypeHandler;
  wildcard: boolean;
}

/**
 * SDS, CDS, EDS, LDS and RDS handlers for `rt`, in Envoy's order. Applying CDS updates the EDS
 * subscription; applying LDS updates the RDS subscription; applying either updates the SDS
 * subscription (the secrets they fetch over ADS); RDS and SDS promote warming listeners.
 * Worker processes run the same handlers on the responses their primary applied; SDS responses
 * are not forwarded to them: the secrets reach them through the secret store, like the agent's.
 */
export function xdsTypeHandlers(rt: ProxyRuntime, sink: SubscriptionSink, onApplied?: AppliedHook): XdsTypeHandler[] {
  const syncSds = (): void => sink.setResourceNames(TypeUrl.Secret, [...new Set([...rt.clusters.adsSecretNames(), ...rt.listeners.adsSecretNames()])].sort());
  const syncEds = (): void => {
    const names = rt.clusters.edsServiceNames();
    sink.setResourceNames(TypeUrl.ClusterLoadAssignment, names);
    rt.snapshot.retain(TypeUrl.ClusterLoadAssignment, names);
  };
  const syncRds = (): void => {
    const names = rt.listeners.routeConfigNames();
    sink.setResourceNames(TypeUrl.RouteConfiguration, names);
    rt.snapshot.retain(TypeUrl.RouteConfiguration, names);
    rt.routes.retain(new Set(names));
  };
  return [
    { typeUrl: TypeUrl.Secret, wildcard: false, handler: sdsHandler(rt) },
    {
      typeUrl: TypeUrl.Cluster,
      wildcard: true,
      handler: handler(
        rt,
        clusterResource,
        (r) => {
          rt.clusters.applyClusters(valuesByName(r));
          syncEds();
          syncSds();
        },
        (r) => secretCheck(r.resources, 'CDS', rt.secrets),
        onApplied,
      ),
    },
    {
      typeUrl: TypeUrl.ClusterLoadAssignment,
      wildcard: false,
      handler: handler(rt, endpointResource, (r) => rt.clusters.applyEndpoints(valuesByName(r)), undefined, onApplied),
    },
    {
      typeUrl: TypeUrl.Listener,
      wildcard: true,
      handler: handler(
        rt,
        listenerResource,
        (r) => {
          rt.listeners.apply(valuesByName(r));
          syncRds();
          syncSds();
        },
        (r) => secretCheck(r.resources, 'LDS', rt.secrets),
        onApplied,
      ),
    },
    {
      typeUrl: TypeUrl.RouteConfiguration,
      wildcard: false,
      handler: handler(
        rt,
        routeResource,
        (r) => {
          rt.routes.apply(valuesByName(r));
          rt.listeners.promote();
        },
        undefined,
        onApplied,
      ),
    },
  ];
}

/** Registers the {@link xdsTypeHandlers} with the ADS client, in Envoy's order. */
export function registerXdsHandlers(client: AdsClient, rt: ProxyRuntime, onApplied?: AppliedHook): void {
  for (const h of xdsTypeHandlers(rt, client, onApplied)) client.register(h.typeUrl, h.handler, h.wildcard);
}
