import { rdsNames } from '../config/model';
import type { ProxyRuntime } from '../runtime';
import type { UpstreamHost } from '../upstream';

/** Envoy's health_flags: `healthy`, or the reasons a host is out (`/failed_outlier_check`, EDS status). */
function healthFlag(h: UpstreamHost): string {
  const eds = h.endpoint.health === 'HEALTHY' || h.endpoint.health === 'UNKNOWN' ? '' : `/eds_${h.endpoint.health.toLowerCase()}`;
  const flags = `${h.ejected ? '/failed_outlier_check' : ''}${eds}`;
  return flags || 'healthy';
}

/**
 * `/clusters`: Envoy's text form (`cluster::host::stat::value` lines) or `?format=json`.
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin#get--clusters
 */
export function clustersText(rt: ProxyRuntime): string {
  const lines: string[] = [];
  for (const c of rt.clusters.clusters()) {
    const n = c.config.name;
    const cb = c.config.circuitBreakers;
    lines.push(`${n}::default_priority::max_connections::${cb.maxConnections}`, `${n}::default_priority::max_pending_requests::${cb.maxPendingRequests}`);
    lines.push(`${n}::default_priority::max_requests::${cb.maxRequests}`, `${n}::default_priority::max_retries::${cb.maxRetries}`, `${n}::added_via_api::true`);
    for (const h of c.hosts()) {
      const p = `${n}::${h.key}`;
      lines.push(`${p}::cx_active::${h.connections}`, `${p}::rq_active::${h.active}`, `${p}::rq_total::${h.total}`, `${p}::rq_error::${h.errors}`);
      lines.push(`${p}::weight::${h.weight}`, `${p}::region::${h.endpoint.locality}`, `${p}::priority::${h.endpoint.priority}`, `${p}::health_flags::${healthFlag(h)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function clustersJson(rt: ProxyRuntime): object {
  return {
    cluster_statuses: rt.clusters.clusters().map((c) => ({
      name: c.config.name,
      added_via_api: true,
      host_statuses: c.hosts().map((h) => ({
        address: { socket_address: { address: h.endpoint.host, port_value: h.endpoint.port } },
        stats: [
          { name: 'cx_active', value: h.connections },
          { name: 'rq_active', value: h.active },
          { name: 'rq_total', value: h.total },
          { name: 'rq_error', value: h.errors },
        ],
        health_status: { eds_health_status: h.endpoint.health, ...(h.ejected ? { failed_outlier_check: true } : {}) },
        weight: h.weight,
        locality: h.endpoint.locality,
        priority: h.endpoint.priority,
      })),
    })),
  };
}

/** `/listeners`: `name::host:port` lines, or `?format=json`. */
export function listenersView(rt: ProxyRuntime, json: boolean): string {
  const all = rt.listeners.all();
  if (!json) return all.map((l) => `${l.config.name}::${l.config.address.host}:${l.config.address.port}`).join('\n') + '\n';
  const statuses = all.map((l) => ({
    name: l.config.name,
    local_address: { socket_address: { address: l.config.address.host, port_value: l.config.address.port } },
    bound: l.bound,
    connections: l.connections,
    routes: rdsNames(l.config).join(',') || 'inline',
  }));
  return JSON.stringify({ listener_statuses: statuses, warming: rt.listeners.warmingNames() }, null, 2);
}
