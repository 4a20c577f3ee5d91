import { describe, expect, it } from 'vitest';
import type { FilterChainMatchConfig } from '../config/model';
import { type ConnectionFacts, selectFilterChain } from './filter-chain-selector';

const m = (over: Partial<FilterChainMatchConfig> = {}): FilterChainMatchConfig => ({
  prefixRanges: [],
  serverNames: [],
  applicationProtocols: [],
  sourceType: 'ANY',
  sourcePrefixRanges: [],
  sourcePorts: [],
  ...over,
});

const chain = (name: string, over: Partial<FilterChainMatchConfig> = {}) => ({ name, match: m(over) });

const facts = (over: Partial<ConnectionFacts> = {}): ConnectionFacts => ({
  localAddress: '10.0.0.1',
  localPort: 443,
  remoteAddress: '10.0.0.9',
  remotePort: 50000,
  transportProtocol: 'tls',
  applicationProtocols: [],
  ...over,
});

const pick = (chains: Array<{ name: string; match: FilterChainMatchConfig }>, f: Partial<ConnectionFacts>, fallback?: { name: string; match: FilterChainMatchConfig }) =>
  selectFilterChain(chains, facts(f), fallback)?.name;

describe('filter chain selection (Envoy FilterChainMatch order)', () => {
  const sni = [chain('exact', { serverNames: ['api.example.com'] }), chain('wild', { serverNames: ['*.example.com'] }), chain('deeper', { serverNames: ['*.eu.example.com'] }), chain('any')];

  it.each([
    ['api.example.com', 'exact'],
    ['www.example.com', 'wild'],
    ['db.eu.example.com', 'deeper'],
    ['example.com', 'any'],
    ['other.org', 'any'],
    [undefined, 'any'],
  ])('SNI %s -> %s', (serverName, want) => {
    expect(pick(sni, { serverName })).toBe(want);
  });

  it('falls back to the default chain when no chain is left', () => {
    const chains = [chain('a', { serverNames: ['a.example.com'] })];
    expect(pick(chains, { serverName: 'b.example.com' })).toBeUndefined();
    expect(pick(chains, { serverName: 'b.example.com' }, chain('default'))).toBe('default');
  });

  it('does not backtrack: the SNI winner failing a later criterion leaves no match', () => {
    const chains = [chain('sni-tls-only', { serverNames: ['a.example.com'], transportProtocol: 'raw_buffer' }), chain('catch-all')];
    expect(pick(chains, { serverName: 'a.example.com' })).toBeUndefined();
  });

  it('matches transport protocol and ALPN', () => {
    const chains = [chain('tls', { transportProtocol: 'tls' }), chain('plain', { transportProtocol: 'raw_buffer' })];
    expect(pick(chains, { transportProtocol: 'raw_buffer' })).toBe('plain');
    const alpn = [chain('h2', { applicationProtocols: ['h2'] }), chain('other')];
    expect(pick(alpn, { applicationProtocols: ['h2', 'http/1.1'] })).toBe('h2');
    expect(pick(alpn, { applicationProtocols: ['http/1.1'] })).toBe('other');
  });

  it('prefers the longest destination prefix, then the destination port', () => {
    const chains = [chain('wide', { prefixRanges: [{ address: '10.0.0.0', prefixLen: 8, family: 4 }] }), chain('narrow', { prefixRanges: [{ address: '10.0.0.0', prefixLen: 24, family: 4 }] }), chain('port', { destinationPort: 8443 })];
    expect(pick(chains, {})).toBe('narrow');
    expect(pick(chains, { localAddress: '10.9.0.1' })).toBe('wide');
    expect(pick(chains, { localPort: 8443 })).toBe('port');
  });

  it('matches source type, source prefix and source port; IPv4-mapped addresses count as IPv4', () => {
    const chains = [chain('local', { sourceType: 'SAME_IP_OR_LOOPBACK' }), chain('external')];
    expect(pick(chains, { remoteAddress: '::ffff:127.0.0.1' })).toBe('local');
    expect(pick(chains, { remoteAddress: '10.0.0.1' })).toBe('local');
    expect(pick(chains, {})).toBe('external');
    const src = [chain('net', { sourcePrefixRanges: [{ address: '10.0.0.0', prefixLen: 24, family: 4 }] }), chain('port', { sourcePorts: [50000] })];
    expect(pick(src, {})).toBe('net');
    expect(pick(src, { remoteAddress: '192.168.1.1' })).toBe('port');
  });
});
