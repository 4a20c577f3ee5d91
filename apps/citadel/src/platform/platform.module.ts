import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CITADEL_CONFIG, type CitadelConfig } from './citadel-config';
import { CLOCK, type Clock } from './clock';

export interface PlatformOptions {
  config: CitadelConfig;
  clock: Clock;
}

/** Process-wide inputs, provided once: the parsed config and the clock. */
@Global()
@Module({})
export class PlatformModule {
  static register(o: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: CITADEL_CONFIG, useValue: o.config },
        { provide: CLOCK, useValue: o.clock },
      ],
      exports: [CITADEL_CONFIG, CLOCK],
    };
  }
}
