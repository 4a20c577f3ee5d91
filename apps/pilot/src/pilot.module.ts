import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { Bus, consoleLogger } from '@mizzen/bus';
import type { PilotOptions } from './options';
import { PilotService } from './pilot.service';

const OPTIONS = Symbol('PILOT_OPTIONS');
const BUS = Symbol('PILOT_BUS');

/** Starts and stops Pilot with the Nest application lifecycle. */
class PilotLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PilotService) private readonly pilot: PilotService,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.pilot.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pilot.stop();
    await this.bus.close();
  }
}

/** Pilot as a Nest application: the bus, the Pilot runtime (owning its gRPC server), lifecycle. */
@Module({})
export class PilotModule {
  static forRoot(opts: PilotOptions): DynamicModule {
    return {
      module: PilotModule,
      providers: [
        { provide: OPTIONS, useValue: opts },
        { provide: BUS, useFactory: () => Bus.connect({ url: opts.natsUrl, name: opts.id, logger: consoleLogger('warn', 'pilot-bus') }) },
        {
          provide: PilotService,
          inject: [OPTIONS, BUS],
          useFactory: (o: PilotOptions, bus: Bus) => new PilotService(o, bus, (m) => console.log(`[pilot] ${m}`)),
        },
        PilotLifecycle,
      ],
      exports: [PilotService],
    };
  }
}
