import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import type * as xds from '@mizzen/xds-types';
import { clusterLoadAssignmentType, clusterType, listenerType, routeConfigurationType } from '@mizzen/xds-types';
import type { ClusterConfig, EndpointAssignment, ListenerConfig, RouteConfig } from './model';
import { cluster } from './translate/cluster';
import { loadAssignment } from './translate/endpoints';
import { Issues, formatIssues } from './translate/issues';
import { listener } from './translate/listener';
import { routeConfig } from './translate/route-config';

/**
 * One xDS resource type: its identity (from @mizzen/xds-types) plus the translation of a body into
 * a validated runtime value. One small module per type, found by type URL.
 */
export interface ResourceTranslator<B, T> extends xds.ResourceType<B> {
  translate(body: B, issues: Issues): T | undefined;
}

export const listenerResource: ResourceTranslator<xds.Listener, ListenerConfig> = { ...listenerType, translate: listener };
export const routeResource: ResourceTranslator<xds.RouteConfiguration, RouteConfig> = { ...routeConfigurationType, translate: (b, i) => routeConfig(b, '', i) };
export const clusterResource: ResourceTranslator<xds.Cluster, ClusterConfig> = { ...clusterType, translate: cluster };
export const endpointResource: ResourceTranslator<xds.ClusterLoadAssignment, EndpointAssignment> = { ...clusterLoadAssignmentType, translate: (b, i) => loadAssignment(b, '', i) };

/** A translated resource with the body it came from and, when received, its encoded bytes (for config_dump). */
export interface Translated<B, T> {
  name: string;
  value: T;
  body: B;
  encoded?: Uint8Array;
}

export interface TranslatedResponse<B, T> {
  resources: Map<string, Translated<B, T>>;
  warnings: string[];
}

export type TranslateResult<B, T> = { ok: true; value: TranslatedResponse<B, T> } | { ok: false; error: string };

/**
 * Translates every resource of a response; any error rejects the whole response (the NACK
 * message names each bad resource and field). Resources of a named (non-wildcard) type that were
 * not subscribed are skipped.
 */
export function translateResponse<B, T>(t: ResourceTranslator<B, T>, res: DiscoveryResponseIn, subscribed: ReadonlySet<string> | 'wildcard'): TranslateResult<B, T> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const resources = new Map<string, Translated<B, T>>();
  res.resources.forEach((r, i) => {
    if (r.typeUrl !== t.typeUrl) return errors.push(`resources[${i}]: type ${r.typeUrl} in a ${t.shortName} response`);
    const body = r.body as B;
    const name = t.nameOf(body);
    if (!name) return errors.push(`resources[${i}]: ${t.shortName} resource without a name`);
    if (resources.has(name)) return errors.push(`${t.shortName} ${JSON.stringify(name)}: duplicate resource name`);
    if (subscribed !== 'wildcard' && !subscribed.has(name)) return;
    const issues = new Issues();
    const value = t.translate(body, issues);
    if (issues.errors.length || value === undefined) errors.push(`${t.shortName} ${JSON.stringify(name)}: ${formatIssues(issues.errors) || 'invalid'}`);
    else resources.set(name, { name, value, body, encoded: r.encoded });
    if (issues.warnings.length) warnings.push(`${t.shortName} ${JSON.stringify(name)}: ${formatIssues(issues.warnings)}`);
  });
  return errors.length ? { ok: false, error: errors.join('\n') } : { ok: true, value: { resources, warnings } };
}
