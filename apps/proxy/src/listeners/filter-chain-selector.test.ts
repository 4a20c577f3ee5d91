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

  describe('destination prefix_ranges (TPROXY: the local address is the original destination)', () => {
    const v4 = (a: string, prefixLen: number) => ({ address: a, prefixLen, family: 4 as const });
    const v6 = (a: string, prefixLen: number) => ({ address: a, prefixLen, family: 6 as const });
    const chains = [
      chain('service', { prefixRanges: [v4('10.123.5.0', 24)] }),
      chain('subnet-v2', { prefixRanges: [v4('10.123.5.7', 32), v4('10.123.5.64', 26)] }),
      chain('db', { prefixRanges: [v4('10.123.7.1', 32), v6('2001:db8::7', 128)] }),
      chain('v6-net', { prefixRanges: [v6('2001:db8::', 64)] }),
      chain('fallback'),
    ];

    it.each([
      ['10.123.5.7', 'subnet-v2'],
      ['10.123.5.70', 'subnet-v2'],
      ['10.123.5.8', 'service'],
      ['::ffff:10.123.5.8', 'service'],
      ['10.123.7.1', 'db'],
      ['2001:db8::7', 'db'],
      ['2001:db8::8', 'v6-net'],
      ['2001:db9::1', 'fallback'],
      ['10.99.0.1', 'fallback'],
      ['::ffff:10.99.0.1', 'fallback'],
    ])('%s -> %s (most specific prefix wins, IPv4 never matches IPv6 ranges)', (localAddress, want) => {
      expect(pick(chains, { localAddress })).toBe(want);
    });

    it('without a chain lacking prefix_ranges an unmatched destination has no chain (the connection is closed)', () => {
      expect(pick(chains.slice(0, 4), { localAddress: '10.99.0.1' })).toBeUndefined();
    });

    it('applies prefix_ranges before server names: the subnet winner must also match the SNI', () => {
      const tls = [chain('subnet-sni', { prefixRanges: [v4('10.123.6.66', 32)], serverNames: ['secure.example.com'] }), chain('net-sni', { prefixRanges: [v4('10.123.6.0', 24)], serverNames: ['secure.example.com'] })];
      expect(pick(tls, { localAddress: '10.123.6.66', serverName: 'secure.example.com' })).toBe('subnet-sni');
      expect(pick(tls, { localAddress: '10.123.6.1', serverName: 'secure.example.com' })).toBe('net-sni');
      expect(pick(tls, { localAddress: '10.123.6.66', serverName: 'other.example.com' })).toBeUndefined();
    });
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
