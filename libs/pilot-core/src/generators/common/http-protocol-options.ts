import type { ConnectionPoolSettings } from '@mizzen/config-api';
import { type Any, type Cluster, TypeUrl } from '@mizzen/xds-types';
import { toDuration } from './durations';

/**
 * `h2UpgradePolicy: UPGRADE` makes the cluster speak HTTP/2 upstream; `useClientProtocol` replaces
 * any explicit protocol with use_downstream_protocol_config (HTTP/2 upstream for HTTP/2
 * downstream requests, HTTP/1.1 otherwise: Istio's `setUseDownstreamProtocol`); `http.idleTimeout`
 * and `tcp.maxConnectionDuration` go to the upstream HttpProtocolOptions' common options, as
 * Istio's `applyConnectionPool` does.
 */
export function httpProtocolOptions(c: Cluster, cp: ConnectionPoolSettings | undefined): Pick<Cluster, 'typedExtensionProtocolOptions'> {
  const key = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
  const existing = (c.typedExtensionProtocolOptions?.[key] ?? { '@type': TypeUrl.HttpProtocolOptions }) as Any & Record<string, unknown>;
  const opts: Any & Record<string, unknown> = { ...existing };
  if (cp?.http?.h2UpgradePolicy === 'UPGRADE') opts.explicitHttpConfig = { http2ProtocolOptions: {} };
  if (cp?.http?.useClientProtocol) {
    delete opts.explicitHttpConfig;
    opts.useDownstreamProtocolConfig = { httpProtocolOptions: {}, http2ProtocolOptions: {} };
  }
  const common: Record<string, unknown> = {};
  if (cp?.http?.idleTimeout) common.idleTimeout = toDuration(cp.http.idleTimeout);
  if (cp?.tcp?.maxConnectionDuration) common.maxConnectionDuration = toDuration(cp.tcp.maxConnectionDuration);
  if (Object.keys(common).length) opts.commonHttpProtocolOptions = common;
  if (Object.keys(opts).length === 1) return {};
  return { typedExtensionProtocolOptions: { ...c.typedExtensionProtocolOptions, [key]: opts } };
}
