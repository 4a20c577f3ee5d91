import type { Bus } from '@mizzen/bus';
import { BusModule } from '@mizzen/bus-nest';
import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CitadelBusModule } from './bus/bus.module';
import { CaModule } from './ca/ca.module';
import { GrpcModule } from './grpc/grpc.module';
import { type PlatformOptions, PlatformModule } from './platform/platform.module';
import { TrustModule } from './trust/trust.module';

export interface AppOptions extends PlatformOptions {
  bus: Bus;
}

@Module({})
export class AppModule {
  static register(o: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [BusModule.forRoot({ bus: o.bus }), PlatformModule.register(o), CaModule, AuthModule, TrustModule, GrpcModule, CitadelBusModule],
    };
  }
}
