import type * as xds from '@mizzen/xds-types';
import { FilterName, TypeUrl, toAny } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { autoMtlsMatches } from '../testing/mtls-builders';
import * as b from '../testing/xds-builders';
import type { ClusterConfig } from './model';
import { clusterResource } from './resources';
import { Issues } from './translate/issues';

const RAW: xds.TransportSocket = { name: FilterName.RawBuffer, typedConfig: { '@type': TypeUrl.RawBuffer } };
const wrap = (config: Record<string, unknown>, inner?: xds.TransportSocket): xds.TransportSocket => ({
  name: 'envoy.transport_sockets.upstream_proxy_protocol',
  typedConfig: toAny(TypeUrl.ProxyProtocolUpstreamTransport, { config, ...(inner ? { transportSocket: inner } : {}) }),
});

function run(c: xds.Cluster): { value?: ClusterConfig; errors: string[] } {
  const issues = new Issues();
  const value = clusterResource.translate(c, issues);
  return { value, errors: issues.errors.map((e) => `${e.path}: ${e.message}`) };
}

describe('upstream_proxy_protocol transport sockets', () => {
  it('V1 (also the proto default) and V2 around raw_buffer', () => {
    expect(run(b.edsCluster('c', { transportSocket: wrap({ version: 'V2' }, RAW) })).value?.transport).toEqual({ name: 'raw_buffer', proxyProtocol: 2 });
    expect(run(b.edsCluster('c', { transportSocket: wrap({}, RAW) })).value?.transport).toEqual({ name: 'raw_buffer', proxyProtocol: 1 });
  });

  it('wraps each auto mTLS match (TLS keeps its settings)', () => {
    const matches = autoMtlsMatches('outbound_.80_._.svc', ['spiffe://cluster.local/ns/default/sa/svc']).map((m) => ({ ...m, transportSocket: wrap({ version: 'V1' }, m.transportSocket) }));
    const [mtls, plain] = run(b.edsCluster('c', { transportSocketMatches: matches })).value?.transportSocketMatches ?? [];
    expect(mtls.transport).toMatchObject({ proxyProtocol: 1, tls: { sni: 'outbound_.80_._.svc' } });
    expect(plain.transport).toEqual({ name: 'raw_buffer', proxyProtocol: 1 });
  });

  it.each([
    ['an unknown version', wrap({ version: 'V3' }, RAW), 'transportSocket.typedConfig.config.version: unknown PROXY protocol version "V3" (V1 or V2)'],
    ['no inner transport', wrap({ version: 'V1' }), 'transportSocket.typedConfig.transportSocket: is required'],
    ['a wrapper in a wrapper', wrap({}, wrap({}, RAW)), 'transportSocket.typedConfig.transportSocket: a PROXY protocol transport cannot wrap another'],
    ['pass-through TLVs', wrap({ passThroughTlvs: { matchType: 'INCLUDE_ALL' } }, RAW), 'transportSocket.typedConfig.config.passThroughTlvs: pass-through TLVs are not supported'],
  ])('rejects %s', (_n, transportSocket, want) => {
    expect(run(b.edsCluster('c', { transportSocket })).errors).toContain(want);
  });
});
