import { Bus } from '@mizzen/bus';
import { type ApplyReply, ConfigBucket, GalleyApply, GalleyDelete, type StoredConfig } from '@mizzen/contracts';

/** meshctl's view of a running mesh: Galley over NATS request-reply, and the config KV bucket. */
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

  close(): Promise<void> {
    return this.bus.close();
  }
}
