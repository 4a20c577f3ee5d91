import { TypeUrl, type XdsResource } from '@mizzen/xds-types';

/**
 * The PCDS resource every agent-backed proxy receives (Istio's PcdsGenerator): a ProxyConfig whose
 * `caCertificatesPem` is the mesh trust bundle, every root Citadel trusts (active, pending,
 * retiring). The agent adds them to ROOTCA, so during a root rotation each proxy trusts the new
 * root before any peer presents a certificate under it. Roots are sorted: the content (and the
 * version) changes only when the set does.
 */
export function proxyConfigResource(roots: readonly string[]): XdsResource {
  return { typeUrl: TypeUrl.ProxyConfig, name: '', body: { caCertificatesPem: [...new Set(roots.map((r) => r.trim() + '\n'))].sort() } };
}
