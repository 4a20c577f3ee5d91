import { type CaCredential, createCsr, createIntermediateCa, createRootCa, exportPrivateKeyPem, generateKeyPair, signCsr } from '@mizzen/pki';
import { ROOT_SECRET, SecretStore, WORKLOAD_SECRET } from '../tls/secret-store';

const DAY = 86_400_000;

/** A workload certificate as Citadel would issue it: leaf + intermediate, the key, the root. */
export interface IssuedSvid {
  /** Leaf then intermediate (PEM). */
  chain: string;
  key: string;
  root: string;
  serial: string;
}

/**
 * A mesh CA for tests: a root and an intermediate made with @mizzen/pki (the code Citadel signs
 * with), issuing SPIFFE SVIDs for any URI. Tests that need Citadel's authentication use the real
 * Citadel process instead.
 */
export class MeshCa {
  private constructor(
    readonly root: CaCredential,
    readonly intermediate: CaCredential,
  ) {}

  static async create(name = 'cluster.local'): Promise<MeshCa> {
    const root = await createRootCa({ subject: { organization: name, commonName: `${name} test root` }, ttlMs: 30 * DAY });
    const intermediate = await createIntermediateCa({ issuer: root, subject: { organization: name, commonName: `${name} test intermediate` }, ttlMs: 20 * DAY });
    return new MeshCa(root, intermediate);
  }

  /** An SVID for `uri` (plus DNS names), valid `ttlMs` from now. */
  async issue(uri: string, opts: { ttlMs?: number; dnsNames?: string[] } = {}): Promise<IssuedSvid> {
    const key = await generateKeyPair();
    const csr = await createCsr(key, { uris: [uri] });
    const leaf = await signCsr({ csr, issuer: this.intermediate, sans: { uris: [uri], dnsNames: opts.dnsNames }, ttlMs: opts.ttlMs ?? DAY });
    return { chain: leaf.certPem + this.intermediate.certPem, key: await exportPrivateKeyPem(key), root: this.root.certPem, serial: leaf.serialNumber };
  }
}

/** A sidecar's SDS secrets for `svid`, as its certificate agent would hold them: `default` and `ROOTCA`. */
export function workloadSecrets(svid: IssuedSvid): SecretStore {
  const s = new SecretStore();
  s.setTrustBundle(ROOT_SECRET, [svid.root]);
  s.setCertificate(WORKLOAD_SECRET, svid.chain, svid.key);
  return s;
}
