// Greeter client: `node dist/client.js <target> [count] [name]` prints one reply per line, e.g.
// `Hello world from v2`. Exits 1 on the first failed call. Name defaults to GREETER_NAME or "world".
import { createGreeterClient } from './greeter';

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [target, rawCount = '1', name = env.GREETER_NAME || 'world'] = argv;
  if (!target) throw new Error('usage: client.js <target> [count] [name]   (target: host:port, dns:///host:port or xds:///host:port)');
  const count = Number(rawCount);
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got "${rawCount}"`);

  const client = await createGreeterClient(target);
  try {
    for (let i = 0; i < count; i++) {
      const reply = await client.sayHello(name);
      process.stdout.write(`${reply.message}\n`);
    }
  } finally {
    client.close();
  }
}

main(process.argv.slice(2), process.env).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
