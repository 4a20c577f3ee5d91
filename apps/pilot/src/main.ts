import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseOptions } from './options';
import { PilotModule } from './pilot.module';

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  const app = await NestFactory.createApplicationContext(PilotModule.forRoot(opts), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
}

main().catch((e) => {
  console.error(`pilot failed to start: ${(e as Error).message}`);
  process.exit(1);
});
