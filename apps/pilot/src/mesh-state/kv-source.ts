import { type Bus, type KvWatcher, watchKv } from '@mizzen/bus';
import { ConfigBucket, RegistryBucket } from '@mizzen/contracts';
import type { KvEntry } from './mesh-records';
import type { MeshState } from './mesh-state';

/**
 * Feeds the config and registry buckets into the mesh state: every key's current value first
 * (a restarted Pilot rebuilds everything from KV), then live changes. Resolves once both
 * buckets have been read completely.
 */
export async function watchMeshKv(bus: Bus, state: MeshState): Promise<KvWatcher[]> {
  const [config, registry] = await Promise.all([
    bus.openKv(ConfigBucket.name, { history: ConfigBucket.history }),
    bus.openKv(RegistryBucket.name, { history: RegistryBucket.history }),
  ]);
  const toEntry = (e: { type: 'put'; key: string; value: unknown } | { type: 'delete'; key: string }): KvEntry =>
    e.type === 'put' ? { key: e.key, value: e.value, deleted: false } : { key: e.key, value: undefined, deleted: true };
  const watchers = [
    watchKv(config, (e) => {
      if (e.type !== 'synced') state.configEvent(toEntry(e));
    }),
    watchKv(registry, (e) => {
      if (e.type !== 'synced') state.registryEvent(toEntry(e));
    }),
  ];
  await Promise.all(watchers.map((w) => w.synced));
  return watchers;
}
