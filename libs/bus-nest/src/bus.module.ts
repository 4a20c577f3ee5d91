import type { Bus } from '@mizzen/bus';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BUS } from './bus.constants';

export interface BusModuleOptions {
  /** The connected bus (the same one given to {@link BusServer}). */
  bus: Bus;
  /** Close (drain) the bus when the application shuts down (default true). */
  closeOnShutdown?: boolean;
}

const CLOSE_ON_SHUTDOWN = Symbol('mizzen:bus:close-on-shutdown');

/**
 * Provides the {@link Bus} to the whole application (`@InjectBus()`). The bus is created before
 * Nest (the transport strategy needs it), so this module only shares it and, by default, drains it
 * last on shutdown: after the transport and every provider's destroy hooks.
 */
@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(CLOSE_ON_SHUTDOWN) private readonly closeOnShutdown: boolean,
  ) {}

  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS, useValue: options.bus },
        { provide: CLOSE_ON_SHUTDOWN, useValue: options.closeOnShutdown ?? true },
      ],
      exports: [BUS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closeOnShutdown) await this.bus.close();
  }
}
