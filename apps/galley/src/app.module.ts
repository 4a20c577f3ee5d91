import type { Bus } from '@mizzen/bus';
import { BusModule } from '@mizzen/bus-nest';
import { type DynamicModule, Module } from '@nestjs/common';
import { ApplyModule } from './apply/apply.module';
import { DirectorySourceModule } from './directory-source/directory-source.module';
import { type PlatformOptions, PlatformModule } from './platform/platform.module';
import { RegistrationModule } from './registration/registration.module';
import { RegistryFromConfigModule } from './registry-from-config/registry-from-config.module';
import { SecretsModule } from './secrets/secrets.module';
import { StoresModule } from './stores/stores.module';

export interface AppOptions extends PlatformOptions {
  bus: Bus;
}

@Module({})
export class AppModule {
  static register(o: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BusModule.forRoot({ bus: o.bus }),
        PlatformModule.register(o),
        StoresModule,
        ApplyModule,
        SecretsModule,
        RegistryFromConfigModule,
        DirectorySourceModule,
        RegistrationModule,
      ],
    };
  }
}
