import type { Bus, KvStore } from '@mizzen/bus';
import { BUS } from '@mizzen/bus-nest';
import { TrustBucket } from '@mizzen/contracts';
import { Module } from '@nestjs/common';
import { TRUST_KV, TrustPublisher } from './trust-publisher';

/** Opens KV `mizzen-trust` (creating it if missing) and publishes the bundle into it. */
@Module({
  providers: [
    { provide: TRUST_KV, inject: [BUS], useFactory: (bus: Bus): Promise<KvStore> => bus.openKv(TrustBucket.name, { history: TrustBucket.history }) },
    TrustPublisher,
  ],
})
export class TrustModule {}
