import { Agent, type AgentOptions, buildCli } from './agent';

const log = (msg: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
};

async function run(options: AgentOptions): Promise<void> {
  const agent = new Agent(options, {
    log,
    onReady: () => process.stdout.write('proxy ready\n'),
    onQuit: () => process.exit(0),
  });
  await agent.start();
  log(`${options.type} ${options.workload}.${options.namespace} on ${options.ip}: admin :${options.adminPort}, pilot ${options.pilot}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining`);
    void agent.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

buildCli(run)
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    log(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
