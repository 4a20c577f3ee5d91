import cluster from 'node:cluster';
import { Agent, type AgentOptions, buildCli } from './agent';
import { WORKER_ID_ENV, runWorker } from './workers';

const log = (msg: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
};

async function run(options: AgentOptions): Promise<void> {
  if (cluster.isWorker) {
    // A worker process of `--concurrency` N > 1 (forked by the primary with the same flags).
    const id = Number(process.env[WORKER_ID_ENV] ?? 0);
    runWorker({ id, accessLog: options.accessLog, log: (msg) => log(`worker ${id}: ${msg}`) });
    return;
  }
  const agent = new Agent(options, {
    log,
    onReady: () => process.stdout.write('proxy ready\n'),
    onQuit: () => process.exit(0),
  });
  await agent.start();
  const workers = options.concurrency > 1 ? `, ${options.concurrency} worker processes` : '';
  log(`${options.type} ${options.workload}.${options.namespace} on ${options.ip}: admin :${options.adminPort}, pilot ${options.pilot}${workers}`);
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
