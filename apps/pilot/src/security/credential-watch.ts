import { type Bus, type KvWatcher, watchKv } from '@mizzen/bus';
import { SecretBucket, type StoredSecret } from '@mizzen/contracts';

/**
 * Watches the credential bucket (`mizzen-secrets`, written by Galley) and hands every valid
 * version to `onPut` and every deletion to `onDelete`, the way istiod's credentials controller
 * informs SecretGen of Secret events. An invalid value is logged (by key and revision, never its
 * content) and ignored: the last good version stays in force. Resolves once the current contents
 * were handled, so xDS never opens on a partial view.
 */
export async function watchCredentials(bus: Bus, on: { put(s: StoredSecret): void; delete(namespace: string, name: string): void }, log: (msg: string) => void): Promise<KvWatcher> {
  const kv = await bus.openKv(SecretBucket.name, { history: SecretBucket.history });
  const watcher = watchKv(kv, (e) => {
    if (e.type === 'synced') return;
    const ref = SecretBucket.parseKey(e.key);
    if (!ref) return log(`ignoring credential key ${JSON.stringify(e.key)}: not <namespace>/<name>`);
    if (e.type === 'delete') return on.delete(ref.namespace, ref.name);
    const parsed = SecretBucket.value(e.value);
    if (!parsed.ok) return log(`ignoring credential ${e.key} revision ${e.revision}: ${parsed.errors.map((x) => x.path).join(', ')} invalid`);
    on.put(parsed.value);
  });
  await watcher.synced;
  return watcher;
}
