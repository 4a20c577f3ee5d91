import { type Bus, type KvWatcher, watchKv } from '@mizzen/bus';
import { TrustBucket, type TrustBundle } from '@mizzen/contracts';

/**
 * Watches Citadel's trust bundle (KV `mizzen-trust`/`bundle`) and hands every valid version to
 * `onBundle`. An invalid value is logged and ignored: the last good bundle stays in force.
 * Resolves once the current value (if any) was handled.
 */
export async function watchTrustBundle(bus: Bus, onBundle: (bundle: TrustBundle) => void, log: (msg: string) => void): Promise<KvWatcher> {
  const kv = await bus.openKv(TrustBucket.name, { history: TrustBucket.history });
  const watcher = watchKv(
    kv,
    (e) => {
      if (e.type !== 'put') return;
      const parsed = TrustBucket.value(e.value);
      if (!parsed.ok) return log(`ignoring trust bundle revision ${e.revision}: ${parsed.errors.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
      onBundle(parsed.value);
    },
    { key: TrustBucket.bundleKey },
  );
  await watcher.synced;
  return watcher;
}
