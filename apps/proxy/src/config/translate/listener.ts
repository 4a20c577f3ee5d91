import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { FilterChainConfig, ListenerConfig, SocketAddress } from '../model';
import { filterChain } from './filter-chain';
import { type Issues, at } from './issues';
import { durationMs } from './primitives';

function socketAddress(l: xds.Listener, issues: Issues): SocketAddress {
  const sa = l.address?.socketAddress;
  if (!sa) {
    issues.error('address.socketAddress', 'a socket address is required');
    return { host: '', port: 0 };
  }
  const port = sa.portValue ?? 0;
  if (!(port >= 1 && port <= 65535)) issues.error('address.socketAddress.portValue', `invalid port ${port}`);
  if (!sa.address) issues.error('address.socketAddress.address', 'is required');
  if (sa.protocol === 'UDP') issues.error('address.socketAddress.protocol', 'UDP listeners are not supported');
  return { host: sa.address, port };
}

/**
 * Listener filters: only `envoy.filters.listener.tls_inspector` (recognised by its type URL, or by
 * name when it has no config). Others (original_dst, http_inspector) are rejected: their results
 * would be silently missing from filter chain matching.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/listener_filters/tls_inspector
 */
function listenerFilters(l: xds.Listener, issues: Issues): boolean {
  let tlsInspector = false;
  (l.listenerFilters ?? []).forEach((f, i) => {
    const type = f.typedConfig?.['@type'];
    if (type === TypeUrl.TlsInspector || (type === undefined && f.name === 'envoy.filters.listener.tls_inspector')) tlsInspector = true;
    else issues.error(at('listenerFilters', i), `listener filter "${f.name}" (${type ?? 'no config'}) is not supported`);
  });
  return tlsInspector;
}

/**
 * Every combination of single values a chain matches (one server name, one ALPN, one CIDR...), as
 * Envoy's match tree has them: two chains sharing one is Envoy's "multiple filter chains with the
 * same matching rules". Very large products fall back to the whole lists.
 */
function matchKeys(c: FilterChainConfig): string[] {
  const m = c.match;
  const cidr = (r: { address: string; prefixLen: number }): string => `${r.address}/${r.prefixLen}`;
  const dims: Array<readonly string[]> = [[String(m.destinationPort ?? '*')], m.prefixRanges.map(cidr), m.serverNames, [m.transportProtocol ?? '*'], [...m.applicationProtocols], [m.sourceType], m.sourcePrefixRanges.map(cidr), m.sourcePorts.map(String)].map((d) => (d.length ? d : ['*']));
  if (dims.reduce((n, d) => n * d.length, 1) > 4096) return [JSON.stringify(dims.map((d) => [...d].sort()))];
  return dims.reduce<string[]>((keys, d) => keys.flatMap((k) => d.map((v) => `${k}|${v}`)), ['']);
}

function chains(l: xds.Listener, tlsInspector: boolean, issues: Issues): FilterChainConfig[] {
  const out: FilterChainConfig[] = [];
  const seen = new Map<string, number>();
  (l.filterChains ?? []).forEach((c, i) => {
    const path = `filterChains[${i}]`;
    const chain = filterChain(c, path, issues);
    if (!chain) return;
    const dup = matchKeys(chain).map((k) => [k, seen.get(k)] as const);
    const clash = dup.find(([, d]) => d !== undefined && d !== i);
    if (clash) issues.error(path, `filterChains[${clash[1]}] matches the same connections (${clash[0].slice(1).replace(/\|/g, ', ')}); Envoy rejects duplicate matching rules`);
    for (const [k] of dup) seen.set(k, i);
    const m = chain.match;
    if (!tlsInspector && (m.serverNames.length || m.transportProtocol === 'tls')) issues.warn(at(path, 'filterChainMatch'), 'matches on TLS (server names / transport protocol) but the listener has no tls_inspector: it never matches');
    out.push(chain);
  });
  return out;
}

/**
 * Listener (LDS): a socket address, the tls_inspector listener filter, and filter chains each
 * ending in an HttpConnectionManager or a TcpProxy; chains are chosen per connection in Envoy's
 * FilterChainMatch order (see listeners/filter-chain-selector.ts).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener.proto
 */
export function listener(l: xds.Listener, issues: Issues): ListenerConfig | undefined {
  if (!l.name) issues.error('name', 'listener name is required');
  if (l.apiListener) issues.error('apiListener', 'API listeners are for proxyless gRPC clients');
  const address = socketAddress(l, issues);
  const tlsInspector = listenerFilters(l, issues);
  const filterChains = chains(l, tlsInspector, issues);
  const defaultFilterChain = l.defaultFilterChain ? filterChain(l.defaultFilterChain, 'defaultFilterChain', issues) : undefined;
  if (!filterChains.length && !defaultFilterChain && !issues.errors.length) issues.error('filterChains', 'at least one filter chain is required');
  return {
    name: l.name,
    address,
    bindToPort: l.bindToPort?.value ?? true,
    tlsInspector,
    listenerFiltersTimeoutMs: durationMs(l.listenerFiltersTimeout, 'listenerFiltersTimeout', issues, 15_000),
    continueOnListenerFiltersTimeout: l.continueOnListenerFiltersTimeout ?? false,
    filterChains,
    defaultFilterChain,
  };
}
