import type { DiscoveryResponseIn } from '@mizzen/xds-codec';
import { describe, expect, it } from 'vitest';
import { type ResourceTranslator, clusterResource, listenerResource, translateResponse } from '../config/resources';
import type { ClusterConfig, ListenerConfig } from '../config/model';
import { MeshCa } from '../testing/mesh-ca';
import * as m from '../testing/mtls-builders';
import * as b from '../testing/xds-builders';
import { ROOT_SECRET, SecretStore, WORKLOAD_SECRET } from '../tls/secret-store';
import { secretCheck } from './secret-check';

function translated<B, T>(t: ResourceTranslator<B, T>, bodies: B[]) {
  const res: DiscoveryResponseIn = { versionInfo: 'v', typeUrl: t.typeUrl, nonce: '', resources: bodies.map((body) => ({ typeUrl: t.typeUrl, body: body as Record<string, unknown> })) };
  const r = translateResponse(t, res, 'wildcard');
  if (!r.ok) throw new Error(r.error);
  return r.value.resources;
}

describe('SDS secrets referenced by config', () => {
  const sans = ['spiffe://cluster.local/ns/default/sa/reviews'];
  const inbound = translated<unknown, ListenerConfig>(listenerResource as ResourceTranslator<unknown, ListenerConfig>, [m.inboundListener('virtualInbound', '127.0.0.1', 15006, 'STRICT', 'c')]);
  const clusters = translated<unknown, ClusterConfig>(clusterResource as ResourceTranslator<unknown, ClusterConfig>, [
    b.edsCluster('auto', { transportSocketMatches: m.autoMtlsMatches('sni', sans) }),
    b.edsCluster('istio-mutual', { transportSocket: m.istioUpstreamTls('sni', sans) }),
  ]);

  it('without a certificate agent: a filter chain or cluster transport socket needing `default` is rejected, naming it', () => {
    const none = new SecretStore();
    const lds = secretCheck(inbound, 'LDS', none).error;
    expect(lds).toContain(
      'LDS "virtualInbound": filter chain "virtualInbound-mtls": filterChains[0].transportSocket.typedConfig.commonTlsContext.tlsCertificateSdsSecretConfigs[0]: secret "default" is not available: this proxy has no certificate agent (start it with --ca-addr)',
    );
    expect(lds).toContain('combinedValidationContext.validationContextSdsSecretConfig: secret "ROOTCA" is not available');
    const c = secretCheck(clusters, 'CDS', none);
    expect(c.error).toMatch(/^CDS "istio-mutual": transportSocket\.typedConfig\.commonTlsContext\.tlsCertificateSdsSecretConfigs\[0\]: secret "default" is not available/);
    expect(c.error).not.toContain('"auto"');
    // Auto mTLS matches only warn: endpoints fall through to the plaintext match.
    expect(c.warnings).toEqual([expect.stringMatching(/^CDS "auto": transportSocketMatches\[0\] \(tlsMode-istio\) is skipped, endpoints it matches take the next match: .*secret "default" is not available/)]);
  });

  it('with the agent’s secrets in the store nothing is reported', async () => {
    const ca = await MeshCa.create();
    const svid = await ca.issue(sans[0]);
    const store = new SecretStore();
    store.setTrustBundle(ROOT_SECRET, [svid.root]);
    store.setCertificate(WORKLOAD_SECRET, svid.chain, svid.key);
    expect(secretCheck(inbound, 'LDS', store)).toEqual({ error: undefined, warnings: [] });
    expect(secretCheck(clusters, 'CDS', store)).toEqual({ error: undefined, warnings: [] });
    const otherKey = (await ca.issue(sans[0])).key;
    expect(() => store.setCertificate(WORKLOAD_SECRET, svid.chain, otherKey)).toThrow(/private key does not match/);
  });
});
