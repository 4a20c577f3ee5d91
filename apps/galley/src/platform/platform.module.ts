import { type DynamicModule, Global, Module } from '@nestjs/common';
import { RESOURCE_VALIDATOR, type ResourceValidator } from '../validation/resource-validator';
import { CLOCK, type Clock } from './clock';
import { GALLEY_CONFIG, type GalleyConfig } from './galley-config';

export interface PlatformOptions {
  config: GalleyConfig;
  clock: Clock;
  validator: ResourceValidator;
}

/** Process-wide inputs, provided once: parsed config, the clock, the config validator. */
@Global()
@Module({})
export class PlatformModule {
  static register(o: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: GALLEY_CONFIG, useValue: o.config },
        { provide: CLOCK, useValue: o.clock },
        { provide: RESOURCE_VALIDATOR, useValue: o.validator },
      ],
      exports: [GALLEY_CONFIG, CLOCK, RESOURCE_VALIDATOR],
    };
  }
}
