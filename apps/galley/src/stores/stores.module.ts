import { type Bus, type KvStore } from '@mizzen/bus';
import { BUS } from '@mizzen/bus-nest';
import { ConfigBucket, RegistryBucket } from '@mizzen/contracts';
import { Global, Module } from '@nestjs/common';
import { ConfigStore } from './config-store.service';
import { CONFIG_KV, REGISTRY_KV } from './kv-tokens';
import { RegistryStore } from './registry-store.service';

/** Opens the KV buckets once (creating them if missing) and shares typed stores over them. */
@Global()
@Module({
  providers: [
    { provide: CONFIG_KV, inject: [BUS], useFactory: (bus: Bus): Promise<KvStore> => bus.openKv(ConfigBucket.name, { history: ConfigBucket.history }) },
    { provide: REGISTRY_KV, inject: [BUS], useFactory: (bus: Bus): Promise<KvStore> => bus.openKv(RegistryBucket.name, { history: RegistryBucket.history }) },
    ConfigStore,
    RegistryStore,
  ],
  exports: [CONFIG_KV, REGISTRY_KV, ConfigStore, RegistryStore],
})
export class StoresModule {}
