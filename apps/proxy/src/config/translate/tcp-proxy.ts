import type * as xds from '@mizzen/xds-types';
import type { TcpProxyConfig } from '../model';
import { type Issues, at } from './issues';
import { durationMs } from './primitives';

/** TcpProxy fields we do not implement; set, they reject the config rather than be ignored. */
type TcpProxyBody = xds.TcpProxy & { hashPolicy?: object[]; accessLog?: object[]; maxDownstreamConnectionDuration?: xds.Duration };

/** TunnelingConfig fields beyond hostname / use_post / post_path (headers, propagation): rejected. */
type TunnelingBody = xds.TcpProxyTunnelingConfig & { headersToAdd?: object[]; propagateResponseHeaders?: boolean; propagateResponseTrailers?: boolean };

/**
 * tunneling_config over HTTP/1.1: hostname required (Envoy formats `%`-commands in it; only a
 * literal is accepted), post_path only with use_post and starting with `/`.
 */
function tunneling(t: TunnelingBody | undefined, path: string, issues: Issues): Pick<TcpProxyConfig, 'tunneling'> {
  if (!t) return {};
  if (!t.hostname) issues.error(at(path, 'hostname'), 'is required');
  else if (t.hostname.includes('%')) issues.error(at(path, 'hostname'), 'substitution formatters are not supported');
  if (t.postPath && !t.usePost) issues.error(at(path, 'postPath'), 'requires usePost');
  if (t.postPath && !t.postPath.startsWith('/')) issues.error(at(path, 'postPath'), 'must start with /');
  if (t.headersToAdd?.length) issues.error(at(path, 'headersToAdd'), 'not supported');
  if (t.propagateResponseHeaders || t.propagateResponseTrailers) issues.error(path, 'propagating response headers or trailers is not supported');
  return { tunneling: { hostname: t.hostname ?? '', usePost: t.usePost === true, postPath: t.postPath || '/' } };
}

/**
 * TcpProxy: `cluster` or `weighted_clusters` (weights >= 0, at least one positive), idle timeout
 * (Envoy default 1 h, 0 disables), max_connect_attempts (default 1), tunneling_config.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto
 */
export function tcpProxy(t: TcpProxyBody, path: string, issues: Issues): TcpProxyConfig {
  if (!t.statPrefix) issues.error(at(path, 'statPrefix'), 'is required');
  if ((t.cluster === undefined || t.cluster === '') === !t.weightedClusters) issues.error(path, 'exactly one of cluster, weightedClusters is required');
  if (t.metadataMatch) issues.error(at(path, 'metadataMatch'), 'not supported');
  if (t.hashPolicy?.length) issues.error(at(path, 'hashPolicy'), 'not supported');
  if (t.maxDownstreamConnectionDuration) issues.error(at(path, 'maxDownstreamConnectionDuration'), 'not supported');
  if (t.accessLog?.length) issues.warn(at(path, 'accessLog'), "not applied; the proxy's own access log records TCP connections");
  const clusters = t.weightedClusters ? t.weightedClusters.clusters.map((c) => ({ name: c.name, weight: c.weight ?? 0 })) : [{ name: t.cluster ?? '', weight: 1 }];
  clusters.forEach((c, i) => {
    const p = at(at(path, 'weightedClusters.clusters'), i);
    if (!c.name) issues.error(at(p, 'name'), 'is required');
    if (!Number.isInteger(c.weight) || c.weight < 0) issues.error(at(p, 'weight'), 'must be a non-negative integer');
  });
  const totalWeight = clusters.reduce((s, c) => s + c.weight, 0);
  if (t.weightedClusters && totalWeight <= 0) issues.error(at(path, 'weightedClusters'), 'the weights must add up to more than 0');
  const attempts = t.maxConnectAttempts?.value ?? 1;
  if (attempts < 1) issues.error(at(path, 'maxConnectAttempts'), 'must be at least 1');
  return {
    statPrefix: t.statPrefix ?? '',
    clusters: clusters.filter((c) => c.weight > 0),
    totalWeight,
    idleTimeoutMs: durationMs(t.idleTimeout, at(path, 'idleTimeout'), issues, 3_600_000),
    maxConnectAttempts: attempts,
    ...tunneling(t.tunnelingConfig, at(path, 'tunnelingConfig'), issues),
  };
}
