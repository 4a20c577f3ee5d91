import 'reflect-metadata';
import { startGalley } from './galley';
import { parseGalleyConfig } from './platform/galley-config';

/** `node apps/galley/dist/main.js [--nats URL] [--config-dir DIR] [--grace-period-ms N] [--log-level L]` */
async function main(): Promise<void> {
  const parsed = parseGalleyConfig(process.argv.slice(2), process.env, process.cwd());
  if (!parsed.ok) {
    for (const e of parsed.errors) process.stderr.write(`galley: ${e.path}: ${e.message}\n`);
    process.exit(2);
  }
  const galley = await startGalley(parsed.value);
  process.stdout.write('galley ready\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`galley: ${signal}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    galley.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`galley: shutdown failed: ${(err as Error)?.stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`galley: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
