import { Bus } from '@mizzen/bus';
import { type ApplyReply, CitadelRotateRoot, ConfigBucket, GalleyApply, GalleyDelete, GalleySecretApply, GalleySecretDelete, type RotateRequest, type SecretApplyReply, type SecretApplyRequest, SecretBucket, type SecretDeleteReply, type StoredConfig, type StoredSecret, TrustBucket, type TrustBundle } from '@mizzen/contracts';
import { DEFAULT_STATE_DIR, resolveNatsUrl } from '../up/mesh-state-file';

/** A stored secret as meshctl may show it: everything but the PEM material. */
export type SecretInfo = Omit<StoredSecret, 'certChain' | 'privateKey' | 'caCert'> & { revision: number };

/** meshctl's view of a running mesh: Galley and Citadel over NATS request-reply, and the config, secret and trust KV buckets. */
export class MeshClient {
  private constructor(private readonly bus: Bus) {}

  static async connect(natsUrl: string): Promise<MeshClient> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cannot reach NATS at ${natsUrl} (is the mesh running? start it with "npm start" or set NATS_URL)`)), 5000);
    });
    try {
      return new MeshClient(await Promise.race([Bus.connect({ url: natsUrl, name: 'meshctl', waitOnFirstConnect: false }), timeout]));
    } finally {
      // A pending timer would keep meshctl alive for 5 s after its work is done.
      clearTimeout(timer);
    }
  }

  apply(documents: string, source: string, defaultNamespace: string, dryRun = false): Promise<ApplyReply> {
    return this.bus.request(GalleyApply, { documents, source, defaultNamespace, dryRun }, { timeoutMs: 30_000 });
  }

  delete(documents: string, defaultNamespace: string): Promise<ApplyReply> {
    return this.bus.request(GalleyDelete, { documents, defaultNamespace }, { timeoutMs: 30_000 });
  }

  /** Stored resources of a kind (optionally one name, optionally one namespace), with KV revisions. */
  async get(kind: string, namespace: string | undefined, name?: string): Promise<Array<StoredConfig & { revision: number }>> {
    const kv = await this.bus.openKv(ConfigBucket.name, { history: ConfigBucket.history });
    const out: Array<StoredConfig & { revision: number }> = [];
    const keys: string[] = [];
    for await (const k of await kv.raw.keys()) keys.push(k);
    for (const key of keys.sort()) {
      const ref = ConfigBucket.parseKey(key);
      if (!ref || ref.kind !== kind || (namespace && ref.namespace !== namespace) || (name && ref.name !== name)) continue;
      const v = await kv.get(key);
      if (!v) continue;
      const parsed = ConfigBucket.value(v.value);
      if (parsed.ok) out.push({ ...parsed.value, revision: v.revision });
    }
    return out;
  }

  /** Creates or replaces a credential through Galley (validated there). */
  applySecret(req: SecretApplyRequest): Promise<SecretApplyReply> {
    return this.bus.request(GalleySecretApply, req, { timeoutMs: 30_000 });
  }

  deleteSecret(namespace: string, name: string): Promise<SecretDeleteReply> {
    return this.bus.request(GalleySecretDelete, { namespace, name }, { timeoutMs: 30_000 });
  }

  /** Stored secrets (optionally of one namespace), with their PEM material dropped as soon as they are read. */
  async secrets(namespace?: string): Promise<SecretInfo[]> {
    const kv = await this.bus.openKv(SecretBucket.name, { history: SecretBucket.history });
    const out: SecretInfo[] = [];
    for (const e of await kv.entries()) {
      const ref = SecretBucket.parseKey(e.key);
      if (!ref || (namespace && ref.namespace !== namespace)) continue;
      const parsed = SecretBucket.value(e.value);
      if (!parsed.ok) continue;
      const { certChain: _c, privateKey: _k, caCert: _a, ...info } = parsed.value;
      out.push({ ...info, revision: e.revision });
    }
    return out;
  }

  /** Citadel's published trust bundle, or undefined when none is (Citadel never ran on this NATS). */
  async trustBundle(): Promise<TrustBundle | undefined> {
    const kv = await this.bus.openKv(TrustBucket.name, { history: TrustBucket.history });
    const e = await kv.get(TrustBucket.bundleKey);
    if (!e) return undefined;
    const parsed = TrustBucket.value(e.value);
    if (!parsed.ok) throw new Error(`the trust bundle in KV is invalid: ${parsed.errors.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
    return parsed.value;
  }

  /** Starts a root rotation in Citadel; resolves with the bundle it published. */
  async rotateRoot(req: Omit<RotateRequest, 'requester'>): Promise<TrustBundle> {
    return (await this.bus.request(CitadelRotateRoot, { ...req, requester: 'meshctl' }, { timeoutMs: 30_000 })).bundle;
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

/**
 * Runs `fn` with a client of the mesh at `--nats` (else NATS_URL, else the local mesh's state
 * file), and closes it afterwards.
 */
export async function withMeshClient<T>(natsFlag: string | undefined, fn: (c: MeshClient) => Promise<T>): Promise<T> {
  const client = await MeshClient.connect(resolveNatsUrl(natsFlag, DEFAULT_STATE_DIR));
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
