/**
 * `meshctl proxy-config` tables, in istioctl's columns, from a proxy's admin `/config_dump`
 * (Envoy's ConfigDump shape, camelCase xDS bodies) and `/clusters?format=json`.
 * https://istio.io/latest/docs/reference/commands/istioctl/#istioctl-proxy-config
 */

type Json = Record<string, unknown>;
export type Table = string[][];

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function section(dump: Json, type: string): Json {
  return arr(dump.configs).find((c) => str(c['@type']).endsWith(`.${type}`)) ?? {};
}

/** `outbound|9080|v1|reviews.default.svc.cluster.local` -> its parts (Istio's cluster naming). */
function clusterParts(name: string): { fqdn: string; port: string; subset: string; direction: string } {
  const p = name.split('|');
  return p.length === 4 ? { direction: p[0], port: p[1], subset: p[2] || '-', fqdn: p[3] } : { direction: '-', port: '-', subset: '-', fqdn: name };
}

export function clusterTable(dump: Json): Table {
  const s = section(dump, 'ClustersConfigDump');
  const rows = [...arr(s.dynamic_active_clusters), ...arr(s.dynamic_warming_clusters)].map((e) => {
    const c = obj(e.cluster);
    const name = str(c.name);
    const { fqdn, port, subset, direction } = clusterParts(name);
    const type = str(c.type) || (c.edsClusterConfig ? 'EDS' : 'STATIC');
    return [fqdn, port, subset, direction, type];
  });
  return [['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE'], ...rows.sort((a, b) => a.join().localeCompare(b.join()))];
}

function chainMatch(fc: Json): string {
  const m = obj(fc.filterChainMatch);
  const parts = [
    ...(m.destinationPort ? [`port ${str(obj(m.destinationPort).value ?? m.destinationPort)}`] : []),
    ...(arr(m.serverNames).length ? [`SNI: ${(m.serverNames as string[]).join(',')}`] : []),
    ...(m.transportProtocol ? [`Trans: ${str(m.transportProtocol)}`] : []),
    ...(arr(m.applicationProtocols).length ? [`App: ${(m.applicationProtocols as string[]).join(',')}`] : []),
  ];
  return parts.join('; ') || 'ALL';
}

function chainDestination(fc: Json): string {
  for (const f of arr(fc.filters)) {
    const tc = obj(f.typedConfig);
    if (str(f.name).includes('http_connection_manager')) {
      const rds = obj(tc.rds);
      return rds.routeConfigName ? `Route: ${str(rds.routeConfigName)}` : 'Inline Route';
    }
    if (str(f.name).includes('tcp_proxy')) return tc.cluster ? `Cluster: ${str(tc.cluster)}` : `Weighted: ${arr(obj(tc.weightedClusters).clusters).map((c) => str(c.name)).join(',')}`;
  }
  return '-';
}

export function listenerTable(dump: Json): Table {
  const rows: Table = [];
  for (const l of arr(section(dump, 'ListenersConfigDump').dynamic_listeners)) {
    const listener = obj(obj(l.active_state ?? l.warming_state).listener);
    const addr = obj(obj(listener.address).socketAddress);
    const chains = [...arr(listener.filterChains), ...(listener.defaultFilterChain ? [obj(listener.defaultFilterChain)] : [])];
    for (const fc of chains) rows.push([str(addr.address), str(addr.portValue), chainMatch(fc), chainDestination(fc)]);
  }
  return [['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'], ...rows];
}

export function routeTable(dump: Json): Table {
  const rows: Table = [];
  for (const r of arr(section(dump, 'RoutesConfigDump').dynamic_route_configs)) {
    const rc = obj(r.route_config);
    for (const vh of arr(rc.virtualHosts)) {
      for (const route of arr(vh.routes)) {
        const m = obj(route.match);
        const path = m.prefix !== undefined ? `${str(m.prefix)}*` : m.path !== undefined ? str(m.path) : m.safeRegex ? `~${str(obj(m.safeRegex).regex)}` : m.pathSeparatedPrefix ? `${str(m.pathSeparatedPrefix)}/*` : '*';
        const headers = arr(m.headers).length ? ` (+${arr(m.headers).length} header${arr(m.headers).length > 1 ? 's' : ''})` : '';
        const vs = str(obj(obj(obj(route.metadata).filterMetadata).istio).config) || '-';
        rows.push([str(rc.name), str(vh.name), (arr(vh.domains) as unknown as string[]).slice(0, 3).join(',') + (arr(vh.domains).length > 3 ? ',...' : ''), path + headers, vs]);
      }
    }
  }
  return [['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'], ...rows];
}

/** From `/clusters?format=json`. */
export function endpointTable(clusters: Json): Table {
  const rows: Table = [];
  for (const c of arr(clusters.cluster_statuses)) {
    for (const h of arr(c.host_statuses)) {
      const sa = obj(obj(h.address).socket_address);
      const health = obj(h.health_status);
      const status = str(health.eds_health_status) === 'UNKNOWN' ? 'HEALTHY' : str(health.eds_health_status);
      rows.push([`${str(sa.address)}:${str(sa.port_value)}`, status, health.failed_outlier_check ? 'FAILED' : 'OK', str(c.name)]);
    }
  }
  return [['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], ...rows];
}

/** From Envoy's `/certs`: each secret's certificates (the workload chain and the trust bundle). */
export function secretTable(certs: Json): Table {
  const rows: Table = [];
  for (const entry of arr(certs.certificates)) {
    for (const [kind, list] of [['Cert Chain', entry.cert_chain], ['CA', entry.ca_cert]] as const) {
      for (const c of arr(list)) {
        const days = Number(str(c.days_until_expiration) || 'NaN');
        rows.push([str(c.path) || (kind === 'CA' ? 'ROOTCA' : 'default'), kind, days >= 0 ? 'ACTIVE' : 'EXPIRED', days >= 0 ? 'true' : 'false', str(c.serial_number), str(c.expiration_time), str(c.valid_from)]);
      }
    }
  }
  return [['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'], ...rows];
}

/** Columns padded like kubectl/istioctl output. */
export function formatTable(t: Table): string {
  const widths = t[0].map((_, c) => Math.max(...t.map((r) => (r[c] ?? '').length)));
  return t.map((r) => r.map((v, c) => (v ?? '').padEnd(widths[c])).join('   ').trimEnd()).join('\n');
}
