import { ROOT_SECRET, type SecretStore } from '../../tls/secret-store';

/**
 * The workload trust bundle (`ROOTCA`) as istio-agent builds it: the roots the CA returned with
 * the last certificate, plus the mesh's trust anchors Pilot pushes over PCDS (ProxyConfig
 * `caCertificatesPem`). The PCDS part is what lets a root rotation reach a proxy before its next
 * renewal: Citadel announces the new root, Pilot pushes it, every peer trusts it before the first
 * certificate under it is presented. Nothing is published until there is at least one root.
 */
export class MeshTrust {
  private caRoots: readonly string[] = [];
  private configRoots: readonly string[] = [];

  constructor(private readonly secrets: SecretStore) {}

  /** Roots from CreateCertificate's `cert_chain` (set before the certificate they verify). */
  setCaRoots(roots: readonly string[]): void {
    this.caRoots = roots;
    this.publish();
  }

  /** Trust anchors from PCDS; [] clears them. */
  setConfigRoots(roots: readonly string[]): void {
    this.configRoots = roots;
    this.publish();
  }

  private publish(): void {
    const all = [...this.caRoots, ...this.configRoots];
    if (all.length) this.secrets.setTrustBundle(ROOT_SECRET, all);
  }
}
