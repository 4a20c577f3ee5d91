import type { CidrRange, FilterChainMatchConfig } from '../config/model';
import { type IpValue, inCidr, isLoopback, parseIp, unmapIpv4 } from '../util/ip';

/** What is known about a connection when its filter chain is chosen. */
export interface ConnectionFacts {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** `tls` when tls_inspector saw a ClientHello, else `raw_buffer`. */
  transportProtocol: 'tls' | 'raw_buffer';
  serverName?: string;
  /** ALPN protocols the client offered. */
  applicationProtocols: readonly string[];
}

/**
 * How well one chain matches at one level: `undefined` when the chain does not constrain the
 * level, `-1` when it constrains and does not match, else the specificity of the match.
 */
type Level = (m: FilterChainMatchConfig, c: ConnectionFacts) => number | undefined;

const ip = (s: string): IpValue | undefined => {
  const v = parseIp(s);
  return v && unmapIpv4(v);
};

/** Longest matching prefix length. */
function bestPrefix(ranges: readonly CidrRange[], addr: string): number | undefined {
  if (!ranges.length) return undefined;
  const a = ip(addr);
  let best = -1;
  for (const r of ranges) {
    const base = parseIp(r.address);
    if (a && base && inCidr(a, base, r.prefixLen)) best = Math.max(best, r.prefixLen);
  }
  return best;
}

/** Exact server name beats `*.suffix`, longer suffixes beat shorter ones. */
function serverNameScore(names: readonly string[], sni: string | undefined): number | undefined {
  if (!names.length) return undefined;
  if (!sni) return -1;
  let best = -1;
  for (const n of names) {
    if (n === sni) return Number.MAX_SAFE_INTEGER;
    if (n.startsWith('*.') && sni.endsWith(n.slice(1)) && sni.length > n.length - 1) best = Math.max(best, n.length);
  }
  return best;
}

function sourceTypeScore(t: FilterChainMatchConfig['sourceType'], c: ConnectionFacts): number | undefined {
  if (t === 'ANY') return undefined;
  const remote = ip(c.remoteAddress);
  const local = ip(c.localAddress);
  const sameOrLoopback = !!remote && (isLoopback(remote) || (local !== undefined && local.value === remote.value && local.family === remote.family));
  return sameOrLoopback === (t === 'SAME_IP_OR_LOOPBACK') ? 1 : -1;
}

/** Envoy's matching order. */
const LEVELS: readonly Level[] = [
  (m, c) => (m.destinationPort === undefined ? undefined : m.destinationPort === c.localPort ? 1 : -1),
  (m, c) => bestPrefix(m.prefixRanges, c.localAddress),
  (m, c) => serverNameScore(m.serverNames, c.serverName),
  (m, c) => (m.transportProtocol === undefined ? undefined : m.transportProtocol === c.transportProtocol ? 1 : -1),
  (m, c) => (m.applicationProtocols.length ? (m.applicationProtocols.some((p) => c.applicationProtocols.includes(p)) ? 1 : -1) : undefined),
  (m, c) => sourceTypeScore(m.sourceType, c),
  (m, c) => bestPrefix(m.sourcePrefixRanges, c.remoteAddress),
  (m, c) => (m.sourcePorts.length ? (m.sourcePorts.includes(c.remotePort) ? 1 : -1) : undefined),
];

/**
 * Chooses a filter chain as Envoy does: criteria are applied in a fixed order (destination port,
 * destination IP, server name, transport protocol, application protocols, source type, source
 * IP, source port). At each level the chains with the most specific match stay; when none
 * matches, only chains that do not constrain that level stay. There is no backtracking: a chain
 * that wins a level but fails a later one leaves no match, and the default chain (if any) serves.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener_components.proto#config-listener-v3-filterchainmatch
 */
export function selectFilterChain<C extends { match: FilterChainMatchConfig }>(chains: readonly C[], facts: ConnectionFacts, fallback?: C): C | undefined {
  let candidates = chains;
  for (const level of LEVELS) {
    if (!candidates.length) break;
    const scored = candidates.map((c) => ({ c, s: level(c.match, facts) }));
    const best = Math.max(-1, ...scored.map((x) => x.s ?? -1));
    candidates = best >= 0 ? scored.filter((x) => x.s === best).map((x) => x.c) : scored.filter((x) => x.s === undefined).map((x) => x.c);
  }
  return candidates[0] ?? fallback;
}
