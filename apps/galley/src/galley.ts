import { Bus, silentLogger } from '@mizzen/bus';
import { BusServer, nestBusLogger } from '@mizzen/bus-nest';
import type { INestMicroservice, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { type Clock, systemClock } from './platform/clock';
import type { GalleyConfig, GalleyLogLevel } from './platform/galley-config';
import { galleyContracts } from './platform/galley-contracts';
import { configApiValidator } from './validation/config-api.validator';
import type { ResourceValidator } from './validation/resource-validator';

export interface RunningGalley {
  app: INestMicroservice;
  bus: Bus;
  /** Graceful stop: drain the subjects, stop watchers, then drain the NATS connection. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Defaults to config-api's validator. */
  validator?: ResourceValidator;
  /** Nest logger levels; defaults from `config.logLevel`. `false` silences Nest. */
  logger?: LogLevel[] | false;
}

const NEST_LEVELS: Record<GalleyLogLevel, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/**
 * Connects to NATS (waiting for it), boots the Nest microservice on the bus transport and
 * resolves once every subject is subscribed and the initial state (KV watches, config dir) is
 * loaded. Used by main and, in-process, by the integration tests.
 */
export async function startGalley(config: GalleyConfig, opts: StartOptions = {}): Promise<RunningGalley> {
  const validator = opts.validator ?? configApiValidator;
  const bus = await Bus.connect({ url: config.natsUrl, name: 'galley', logger: opts.logger === false ? silentLogger : nestBusLogger('Bus') });
  try {
    const app = await NestFactory.createMicroservice(AppModule.register({ bus, config, clock: opts.clock ?? systemClock, validator }), {
      strategy: new BusServer({ bus, contracts: galleyContracts() }),
      logger: opts.logger ?? NEST_LEVELS[config.logLevel],
    });
    await app.listen();
    return { app, bus, close: () => app.close() };
  } catch (err) {
    await bus.close();
    throw err;
  }
}
