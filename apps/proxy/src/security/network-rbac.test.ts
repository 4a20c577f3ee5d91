import { describe, expect, it } from 'vitest';
import type { NetworkRbacConfig } from '../config/model';
import { Issues } from '../config/translate/issues';
import { networkRbac } from '../config/translate/rbac';
import type { ConnectionInfo } from '../net/connection';
import { StatsStore, formatText } from '../stats';
import { networkRbacDenial } from './network-rbac';

function cfg(body: Record<string, unknown>): NetworkRbacConfig {
  const issues = new Issues();
  const c = networkRbac(body, 'rbac', issues);
  expect(issues.errors).toEqual([]);
  return c;
}

const mtls = (principal: string): ConnectionInfo => ({
  remoteAddress: '10.0.0.9',
  remotePort: 40000,
  localAddress: '10.0.0.5',
  localPort: 3306,
  tls: { peerCertificatePresented: true, peerUriSans: [principal], peerDnsSans: [], localUriSans: [] },
});

/** Istio's TCP filters for `from: principals [sleep]`, `to: ports [3306]` (ALLOW) plus a DENY on a CIDR. */
const deny = cfg({ statPrefix: 'tcp.', rules: { action: 'DENY', policies: { 'ns[default]-policy[block]-rule[0]': { permissions: [{ any: true }], principals: [{ directRemoteIp: { addressPrefix: '10.0.0.66', prefixLen: { value: 32 } } }] } } } });
const allow = cfg({
  statPrefix: 'tcp.',
  rules: { action: 'ALLOW', policies: { 'ns[default]-policy[mysql]-rule[0]': { permissions: [{ andRules: { rules: [{ orRules: { rules: [{ destinationPort: 3306 }] } }] } }], principals: [{ andIds: { ids: [{ orIds: { ids: [{ authenticated: { principalName: { exact: 'spiffe://cluster.local/ns/default/sa/sleep' } } }] } }] } }] } } },
});

describe('network RBAC (envoy.filters.network.rbac before tcp_proxy)', () => {
  it('allows the right peer, denies others, the first denial wins, stats under tcp.rbac.', () => {
    const stats = new StatsStore();
    expect(networkRbacDenial([deny, allow], mtls('spiffe://cluster.local/ns/default/sa/sleep'), stats)).toBeUndefined();
    expect(networkRbacDenial([deny, allow], mtls('spiffe://cluster.local/ns/default/sa/other'), stats)).toBe('rbac_access_denied_matched_policy[none]');
    expect(networkRbacDenial([deny, allow], { ...mtls('spiffe://cluster.local/ns/default/sa/sleep'), remoteAddress: '10.0.0.66' }, stats)).toBe('rbac_access_denied_matched_policy[ns[default]-policy[block]-rule[0]]');
    expect(networkRbacDenial([deny, allow], { ...mtls('x'), tls: undefined }, stats)).toBeDefined();
    const text = formatText(stats);
    expect(text).toContain('tcp.rbac.allowed: 4');
    expect(text).toContain('tcp.rbac.denied: 3');
  });

  it('header and path matchers see no request on TCP: warned, and they never match', () => {
    const issues = new Issues();
    const c = networkRbac({ statPrefix: 'tcp', rules: { policies: { p: { permissions: [{ urlPath: { path: { prefix: '/' } } }], principals: [{ any: true }] } } } }, 'rbac', issues);
    expect(issues.warnings.map((w) => w.message)).toEqual(['header and url_path matchers never match on a TCP connection']);
    const stats = new StatsStore();
    expect(networkRbacDenial([c], mtls('x'), stats)).toBe('rbac_access_denied_matched_policy[none]');
    expect(formatText(stats)).toContain('tcp.rbac.denied: 1');
  });

  it('rejects what it cannot enforce', () => {
    const issues = new Issues();
    networkRbac({ statPrefix: 'tcp.', delayDeny: { seconds: 1 }, matcher: {} }, 'rbac', issues);
    expect(issues.errors.map((e) => e.path)).toEqual(['rbac.delayDeny', 'rbac.matcher']);
  });
});
