/**
 * Preloaded into a process under test (`node -r .../profile-on-signal.js app.js`) so the bench can
 * CPU-profile exactly its measurement window: the first SIGWINCH starts V8's sampling profiler, the
 * next one stops it and writes `<BENCH_PROFILE_DIR>/<BENCH_PROFILE_NAME>-<n>.cpuprofile` (the
 * format `node --cpu-prof` writes; open it in Chrome DevTools or speedscope). It prints
 * `bench-profile: <path>` on stderr when the file is written. Nothing happens without the signal.
 * SIGWINCH because it is ignored by default and free: Node reserves SIGUSR1 for the inspector, and
 * Nest's enableShutdownHooks() treats SIGUSR2 as a shutdown signal (Pilot would exit).
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR ?? process.cwd();
const name = process.env.BENCH_PROFILE_NAME ?? `pid${process.pid}`;
let session: inspector.Session | undefined;
let count = 0;

const post = (method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) => session?.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

async function toggle(): Promise<void> {
  if (!session) {
    session = new inspector.Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
    process.stderr.write('bench-profile: started\n');
    return;
  }
  const res = (await post('Profiler.stop')) as { profile: unknown };
  session.disconnect();
  session = undefined;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${++count}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(res.profile));
  process.stderr.write(`bench-profile: ${file}\n`);
}

process.on('SIGWINCH', () => {
  toggle().catch((e: unknown) => process.stderr.write(`bench-profile failed: ${(e as Error).message}\n`));
});
