import type * as xds from '@mizzen/xds-types';
import type { TransportSpec } from '../model';
import { type Issues, at } from './issues';

/** ProxyProtocolConfig.version as decoded (enum name, or its number when sent as such). */
const VERSIONS: ReadonlyMap<unknown, 1 | 2> = new Map<unknown, 1 | 2>([
  [undefined, 1],
  ['V1', 1],
  [0, 1],
  ['V2', 2],
  [1, 2],
]);

/**
 * envoy.transport_sockets.upstream_proxy_protocol: the wrapped transport (raw_buffer or TLS, read
 * by `inner`) with the PROXY protocol version its connections start with. Pass-through TLVs are
 * not implemented (rejected); wrapping twice is an error.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol.proto
 */
export function upstreamProxyProtocol(
  cfg: xds.Any & Partial<xds.ProxyProtocolUpstreamTransport> & { config?: { passThroughTlvs?: unknown } },
  path: string,
  issues: Issues,
  inner: (t: xds.TransportSocket, path: string, issues: Issues) => TransportSpec,
): TransportSpec {
  const version = VERSIONS.get(cfg.config?.version);
  if (version === undefined) issues.error(at(path, 'config.version'), `unknown PROXY protocol version ${JSON.stringify(cfg.config?.version)} (V1 or V2)`);
  if (cfg.config?.passThroughTlvs) issues.error(at(path, 'config.passThroughTlvs'), 'pass-through TLVs are not supported');
  if (!cfg.transportSocket) {
    issues.error(at(path, 'transportSocket'), 'is required');
    return { name: 'raw_buffer', proxyProtocol: version ?? 1 };
  }
  const wrapped = inner(cfg.transportSocket, at(path, 'transportSocket'), issues);
  if (wrapped.proxyProtocol) issues.error(at(path, 'transportSocket'), 'a PROXY protocol transport cannot wrap another');
  return { ...wrapped, proxyProtocol: version ?? 1 };
}
