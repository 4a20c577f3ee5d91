import type { ProxyNode, ProxyType } from '@mizzen/mesh-model';
import { TypeUrl, type ResourceTypeUrl } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { canonical, ProxyLabelReads } from './proxy-label-reads';

/**
 * A key function returns a string that is equal for two proxies only if the generator's output
 * is equal for them under the same snapshot. It must name every proxy field the generator reads,
 * directly or through the snapshot (servicesForProxy reads namespace + the selected Sidecar, which
 * reads labels; matchApplies reads namespace + labels; EDS reads namespace, locality, labels).
 *
 * Hand-declared cache keys are where Istio had its cache CVEs, so the rule here is narrow:
 * only the three outputs every sidecar of a namespace shares, and that are the cost of a push
 * (CDS, RDS `http_proxy`, EDS per cluster), get precise keys; everything else (all LDS, which
 * reads the proxy IP and, with security filters, its labels; every gateway and proxyless
 * output) is keyed by the whole proxy node, i.e. cached per proxy and per snapshot only.
 * A generator that starts reading a new proxy field must update its key here; generation-keys.test.ts
 * checks cached against uncached output over proxies that differ in every field.
 */
export type GenerationKeyFn = (snapshot: MeshSnapshot, proxy: ProxyNode, names: readonly string[] | undefined) => string;

/** The Sidecar resource scoping the proxy, by identity ('-' for none). */
function sidecarIdentity(snapshot: MeshSnapshot, proxy: ProxyNode): string {
  const sc = snapshot.sidecarFor(proxy);
  return sc ? `${sc.metadata.namespace}/${sc.metadata.name}` : '-';
}

const namesPart = (names: readonly string[] | undefined): string => (names ? names.join('\n') : '*');

/** The whole node: no sharing between proxies (every field counts). */
export const wholeProxyKey: GenerationKeyFn = (_s, proxy, names) => `${canonical(proxy)}\0${namesPart(names)}`;

/**
 * Sidecar CDS (generators/sidecar/clusters.ts): outbound clusters of servicesForProxy (namespace,
 * Sidecar scope), DestinationRules as seen from the proxy (namespace, matching workloadSelectors),
 * and the inbound clusters.
 */
const sidecarClustersKey: GenerationKeyFn = (s, proxy) =>
  ['cds', proxy.namespace, sidecarIdentity(s, proxy), ProxyLabelReads.of(s).ruleSelectorSignature(proxy.labels), canonical(proxy.inbound)].join('\0');

/**
 * Sidecar RDS (generators/sidecar/routes.ts): virtual hosts of servicesForProxy (namespace,
 * Sidecar scope; the Sidecar's outboundTrafficPolicy), host aliases of the namespace,
 * VirtualServices visible from the namespace, and match `sourceLabels`/`sourceNamespace`.
 */
const sidecarRoutesKey: GenerationKeyFn = (s, proxy, names) =>
  ['rds', proxy.namespace, sidecarIdentity(s, proxy), ProxyLabelReads.of(s).sourceLabelsSignature(proxy.labels), ProxyLabelReads.of(s).ruleSelectorSignature(proxy.labels), namesPart(names)].join('\0');

/**
 * EDS, one cluster (generators/common/eds.ts, shared by every proxy type): the DestinationRule as
 * seen from the namespace (subsets, locality LB settings), the proxy's locality (priorities and
 * `distribute` weights) and its values of the `failoverPriority` labels.
 */
export const edsClusterKey = (s: MeshSnapshot, proxy: ProxyNode, cluster: string): string =>
  ['eds', proxy.namespace, canonical(proxy.locality), ProxyLabelReads.of(s).failoverSignature(proxy.labels), ProxyLabelReads.of(s).ruleSelectorSignature(proxy.labels), cluster].join('\0');

const KEYS: Readonly<Record<ProxyType, Partial<Record<ResourceTypeUrl, GenerationKeyFn>>>> = {
  sidecar: { [TypeUrl.Cluster]: sidecarClustersKey, [TypeUrl.RouteConfiguration]: sidecarRoutesKey },
  router: {},
  proxyless: {},
};

/** The key of a whole-response entry; EDS is keyed per cluster with {@link edsClusterKey}. */
export function generationKey(snapshot: MeshSnapshot, proxy: ProxyNode, typeUrl: ResourceTypeUrl, names: readonly string[] | undefined): string {
  const fn = KEYS[proxy.type][typeUrl] ?? wholeProxyKey;
  return `${proxy.type}\0${typeUrl}\0${fn(snapshot, proxy, names)}`;
}
