import type { LocalityLoadBalancerSetting } from '@mizzen/config-api';
import { type Labels, type Locality, localityString } from '@mizzen/mesh-model';
import type { ResolvedEndpoint } from '../../snapshot/endpoint';

/** Endpoints of one locality with the priority and weight Envoy should give them. */
export interface LocalityGroup {
  locality: string;
  priority: number;
  /** Locality weight for locality-weighted LB (`distribute`); undefined = sum of endpoint weights. */
  weight?: number;
  endpoints: ResolvedEndpoint[];
}

export interface LocalityContext {
  proxyLocality: Locality;
  proxyLabels: Labels;
  setting: LocalityLoadBalancerSetting | undefined;
  /** Istio applies failover priorities only when outlier detection is configured. */
  outlierDetection: boolean;
}

/**
 * Istio's locality load balancing, computed per proxy for EDS
 * (pilot/pkg/networking/core/loadbalancer): `distribute` sets locality weights; otherwise, with
 * outlier detection, priorities rank endpoints by closeness: same subzone 0, same zone 1, same
 * region 2, a `failover` target region 3, elsewhere 4; or by `failoverPriority` labels. Priorities
 * are made contiguous from 0, as Envoy requires.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting
 */
export function localityGroups(endpoints: readonly ResolvedEndpoint[], ctx: LocalityContext): LocalityGroup[] {
  const groups = new Map<string, ResolvedEndpoint[]>();
  for (const e of endpoints) groups.set(e.locality, [...(groups.get(e.locality) ?? []), e]);
  const localities = [...groups.keys()].sort();
  const plain = () => localities.map((l) => ({ locality: l, priority: 0, endpoints: groups.get(l) ?? [] }));
  const s = ctx.setting;
  if (s?.enabled === false) return plain();
  const from = localityString(ctx.proxyLocality) ?? '';
  const rule = s?.distribute?.find((d) => localityMatches(d.from ?? '*', from));
  if (rule?.to) {
    return localities.map((l) => ({ locality: l, priority: 0, weight: distributeWeight(rule.to ?? {}, l, localities), endpoints: groups.get(l) ?? [] })).filter((g) => g.weight > 0);
  }
  if (!ctx.outlierDetection) return plain();
  if (s?.failoverPriority?.length) return byLabels(endpoints, ctx.proxyLabels, s.failoverPriority);
  const ranked = localities.map((l) => ({ locality: l, priority: closeness(from, l, s?.failover ?? []), endpoints: groups.get(l) ?? [] }));
  return contiguous(ranked);
}

function closeness(proxy: string, endpoint: string, failover: NonNullable<LocalityLoadBalancerSetting['failover']>): number {
  const [pr = '', pz = '', ps = ''] = proxy.split('/');
  const [er = '', ez = '', es = ''] = endpoint.split('/');
  if (pr === er && pz === ez && ps === es) return 0;
  if (pr === er && pz === ez) return 1;
  if (pr === er) return 2;
  return failover.some((f) => f.from === pr && f.to === er) ? 3 : 4;
}

/** `failoverPriority`: the more of the listed labels (in order) an endpoint shares with the proxy, the better. */
function byLabels(endpoints: readonly ResolvedEndpoint[], proxy: Labels, keys: readonly string[]): LocalityGroup[] {
  const out = new Map<string, LocalityGroup>();
  for (const e of endpoints) {
    let matched = 0;
    while (matched < keys.length && proxy[keys[matched]] !== undefined && proxy[keys[matched]] === e.labels[keys[matched]]) matched++;
    const priority = keys.length - matched;
    const key = `${priority}\0${e.locality}`;
    const g = out.get(key) ?? { locality: e.locality, priority, endpoints: [] };
    g.endpoints.push(e);
    out.set(key, g);
  }
  return contiguous([...out.values()]);
}

function contiguous(groups: LocalityGroup[]): LocalityGroup[] {
  const levels = [...new Set(groups.map((g) => g.priority))].sort((a, b) => a - b);
  return groups.map((g) => ({ ...g, priority: levels.indexOf(g.priority) })).sort((a, b) => a.priority - b.priority || (a.locality < b.locality ? -1 : 1));
}

/** `region/zone/subzone` patterns where `*` matches any remainder (Istio's locality match). */
export function localityMatches(pattern: string, locality: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split('/');
  const l = locality.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '*') return true;
    if (p[i] !== (l[i] ?? '')) return false;
  }
  return true;
}

/** A locality's share of a `distribute` rule: each `to` entry's weight split among the localities it matches. */
function distributeWeight(to: Record<string, number>, locality: string, all: readonly string[]): number {
  let w = 0;
  for (const [pattern, weight] of Object.entries(to)) {
    if (!localityMatches(pattern, locality)) continue;
    const n = all.filter((l) => localityMatches(pattern, l)).length;
    w += weight / n;
  }
  return Math.round(w * 100) / 100 > 0 ? Math.max(1, Math.round(w)) : 0;
}
