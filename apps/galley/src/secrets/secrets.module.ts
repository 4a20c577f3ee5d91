import type { Bus, KvStore } from '@mizzen/bus';
import { BUS } from '@mizzen/bus-nest';
import { SecretBucket } from '@mizzen/contracts';
import { Module } from '@nestjs/common';
import { SECRET_KV, SecretStoreService } from './secret-store.service';
import { SecretsController } from './secrets.controller';

/** Credentials for `credentialName` (the role of Kubernetes Secrets): bucket `mizzen-secrets`. */
@Module({
  controllers: [SecretsController],
  providers: [{ provide: SECRET_KV, inject: [BUS], useFactory: (bus: Bus): Promise<KvStore> => bus.openKv(SecretBucket.name, { history: SecretBucket.history }) }, SecretStoreService],
})
export class SecretsModule {}
