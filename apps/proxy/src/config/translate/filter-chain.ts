import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { parseIp } from '../../util/ip';
import type { CidrRange, FilterChainConfig, FilterChainMatchConfig, NetworkFilterConfig } from '../model';
import { downstreamTransport } from './downstream-tls';
import { httpConnectionManager } from './http-connection-manager';
import { type Issues, at } from './issues';
import { networkRbacFilters } from './rbac';
import { tcpProxy } from './tcp-proxy';

function cidrs(list: xds.CidrRange[] | undefined, path: string, issues: Issues): CidrRange[] {
  const out: CidrRange[] = [];
  (list ?? []).forEach((r, i) => {
    const ip = parseIp(r.addressPrefix ?? '');
    const max = ip?.family === 6 ? 128 : 32;
    const prefixLen = r.prefixLen?.value ?? 0;
    if (!ip) issues.error(at(at(path, i), 'addressPrefix'), `invalid address "${r.addressPrefix}"`);
    else if (prefixLen < 0 || prefixLen > max) issues.error(at(at(path, i), 'prefixLen'), `must be in [0, ${max}]`);
    else out.push({ address: r.addressPrefix, prefixLen, family: ip.family });
  });
  return out;
}

/** Exact names or `*.suffix` wildcards; Envoy rejects partial wildcards. */
function serverNames(names: string[] | undefined, path: string, issues: Issues): string[] {
  return (names ?? []).map((n, i) => {
    const name = n.toLowerCase();
    if (!name || (name.includes('*') && !(name.startsWith('*.') && !name.slice(1).includes('*')))) issues.error(at(path, i), `invalid server name "${n}": partial wildcards are not supported`);
    return name;
  });
}

/**
 * FilterChainMatch, every field Envoy matches on.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener_components.proto#config-listener-v3-filterchainmatch
 */
function chainMatch(m: xds.FilterChainMatch | undefined, path: string, issues: Issues): FilterChainMatchConfig {
  const tp = m?.transportProtocol || undefined;
  if (tp !== undefined && tp !== 'tls' && tp !== 'raw_buffer') issues.error(at(path, 'transportProtocol'), `unknown transport protocol "${tp}" (tls, raw_buffer)`);
  const port = m?.destinationPort?.value;
  if (port !== undefined && !(port >= 1 && port <= 65535)) issues.error(at(path, 'destinationPort'), `invalid port ${port}`);
  return {
    destinationPort: port,
    prefixRanges: cidrs(m?.prefixRanges, at(path, 'prefixRanges'), issues),
    serverNames: serverNames(m?.serverNames, at(path, 'serverNames'), issues),
    transportProtocol: tp,
    applicationProtocols: m?.applicationProtocols ?? [],
    sourceType: m?.sourceType ?? 'ANY',
    sourcePrefixRanges: cidrs([...(m?.sourcePrefixRanges ?? []), ...(m?.directSourcePrefixRanges ?? [])], at(path, 'sourcePrefixRanges'), issues),
    sourcePorts: m?.sourcePorts ?? [],
  };
}

/**
 * The chain's network filters: exactly one terminal filter, the HttpConnectionManager or TcpProxy,
 * found by its typed_config type, after any network RBAC filters. Other network filters (metadata
 * exchange, ...) are rejected.
 */
function networkFilter(filters: xds.Filter[], path: string, issues: Issues): NetworkFilterConfig | undefined {
  const fp = at(path, 'filters');
  if (!filters.length) issues.error(fp, 'an HttpConnectionManager or TcpProxy filter is required');
  let out: NetworkFilterConfig | undefined;
  filters.forEach((f, i) => {
    const type = f.typedConfig?.['@type'];
    const p = at(at(fp, i), 'typedConfig');
    const terminal = type === TypeUrl.HttpConnectionManager || type === TypeUrl.TcpProxy;
    const last = i === filters.length - 1;
    if (type === TypeUrl.NetworkRBAC) {
      if (last) issues.error(fp, 'the last filter must be an HttpConnectionManager or TcpProxy');
    } else if (!terminal) issues.error(at(fp, i), `network filter "${f.name}" (${type ?? 'no config'}) is not supported`);
    else if (!last) issues.error(at(fp, i), `"${f.name}" is a terminal filter and must be last`);
    else if (type === TypeUrl.HttpConnectionManager) out = { kind: 'http', hcm: httpConnectionManager(f.typedConfig as xds.Any & xds.HttpConnectionManager, p, issues) };
    else out = { kind: 'tcp', tcp: tcpProxy(f.typedConfig as xds.Any & xds.TcpProxy, p, issues) };
  });
  const rbac = networkRbacFilters(filters, fp, issues);
  return out && rbac.length ? { ...out, rbac } : out;
}

/** One FilterChain: match, optional TLS termination, and its terminal network filter. */
export function filterChain(c: xds.FilterChain, path: string, issues: Issues): FilterChainConfig | undefined {
  const match = chainMatch(c.filterChainMatch, at(path, 'filterChainMatch'), issues);
  const tls = c.transportSocket ? downstreamTransport(c.transportSocket, at(path, 'transportSocket'), issues) : undefined;
  const filter = networkFilter(c.filters ?? [], path, issues);
  return filter && { name: c.name || path, match, tls, filter };
}
