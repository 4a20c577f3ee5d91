import 'reflect-metadata';
import { startCitadel } from './citadel';
import { parseCitadelConfig, usage } from './platform/citadel-config';

/** `node apps/citadel/dist/main.js [--nats URL] [--ca-dir DIR] [--grpc-port N] ...` (see --help). */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return;
  }
  const parsed = parseCitadelConfig(argv, process.env, process.cwd());
  if (!parsed.ok) {
    for (const e of parsed.errors) process.stderr.write(`citadel: ${e.path}: ${e.message}\n`);
    process.exit(2);
  }
  const citadel = await startCitadel(parsed.value);
  process.stdout.write('citadel ready\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`citadel: ${signal}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    citadel.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`citadel: shutdown failed: ${(err as Error)?.stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`citadel: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
