import { Bus, silentLogger } from '@mizzen/bus';
import { BusServer, nestBusLogger } from '@mizzen/bus-nest';
import type { INestMicroservice, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { citadelContracts } from './bus/citadel-contracts';
import { CertificateAuthority } from './ca/certificate-authority';
import { CaGrpcServer } from './grpc/ca-grpc-server';
import type { CitadelConfig, CitadelLogLevel } from './platform/citadel-config';
import { type Clock, systemClock } from './platform/clock';

export interface RunningCitadel {
  app: INestMicroservice;
  bus: Bus;
  /** The CSR gRPC server's bound port. */
  grpcPort: number;
  ca: CertificateAuthority;
  /** Graceful stop: gRPC server, NATS subjects, then the NATS connection. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Nest logger levels; defaults from `config.logLevel`. `false` silences Nest. */
  logger?: LogLevel[] | false;
}

const NEST_LEVELS: Record<CitadelLogLevel, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/**
 * Connects to NATS (waiting for it), boots the Nest microservice on the bus transport, opens or
 * creates the CA, publishes the trust bundle, and opens the CSR gRPC server. Resolves once every
 * subject is subscribed. Used by main and, in-process, by the tests.
 */
export async function startCitadel(config: CitadelConfig, opts: StartOptions = {}): Promise<RunningCitadel> {
  const bus = await Bus.connect({ url: config.natsUrl, name: 'citadel', logger: opts.logger === false ? silentLogger : nestBusLogger('Bus') });
  try {
    const app = await NestFactory.createMicroservice(AppModule.register({ bus, config, clock: opts.clock ?? systemClock }), {
      strategy: new BusServer({ bus, contracts: citadelContracts() }),
      logger: opts.logger ?? NEST_LEVELS[config.logLevel],
      // Start-up failures (an unusable CA directory) reject instead of exiting the process.
      abortOnError: false,
    });
    await app.listen();
    return { app, bus, grpcPort: app.get(CaGrpcServer).port, ca: app.get(CertificateAuthority), close: () => app.close() };
  } catch (err) {
    await bus.close();
    throw err;
  }
}
