import type { Listener, RouteConfiguration, XdsResource } from '@mizzen/xds-types';

/**
 * go-control-plane's `Consistent()` for one proxy's generated set: every RDS name a listener uses
 * and every cluster a route names must exist, every EDS cluster must have its assignment name.
 * Returns the problems (empty when consistent). Used by tests and Pilot's debug endpoint.
 */
export function checkConsistency(resources: readonly XdsResource[]): string[] {
  const problems: string[] = [];
  const names = (t: string) => new Set(resources.filter((r) => r.typeUrl.endsWith(t)).map((r) => r.name));
  const routes = names('.RouteConfiguration');
  const clusters = names('.Cluster');
  for (const r of resources) {
    if (r.typeUrl.endsWith('.Listener')) {
      for (const rds of rdsNames(r.body as Listener)) if (!routes.has(rds)) problems.push(`listener ${r.name}: route config ${rds} missing`);
    }
    if (r.typeUrl.endsWith('.RouteConfiguration')) {
      for (const c of clusterRefs(r.body as RouteConfiguration)) if (!clusters.has(c)) problems.push(`route config ${r.name}: cluster ${c} missing`);
    }
  }
  return problems;
}

function rdsNames(l: Listener): string[] {
  const out: string[] = [];
  const hcms = [...(l.filterChains ?? []).flatMap((fc) => (fc.filters ?? []).map((f) => f.typedConfig)), l.apiListener?.apiListener];
  for (const h of hcms) {
    const name = (h as { rds?: { routeConfigName?: string } } | undefined)?.rds?.routeConfigName;
    if (name) out.push(name);
  }
  return out;
}

function clusterRefs(rc: RouteConfiguration): string[] {
  const out: string[] = [];
  for (const vh of rc.virtualHosts ?? []) {
    for (const r of vh.routes ?? []) {
      if (r.route?.cluster) out.push(r.route.cluster);
      for (const wc of r.route?.weightedClusters?.clusters ?? []) out.push(wc.name);
      for (const m of r.route?.requestMirrorPolicies ?? []) out.push(m.cluster);
    }
  }
  return out;
}
