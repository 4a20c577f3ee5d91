import { type ChildProcess, spawn } from 'node:child_process';

export interface SpawnOptions {
  /** Name used in log lines and error messages. */
  name: string;
  /** Extra environment (merged over `process.env`). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Resolve only once a line of stdout or stderr matches. Without it, resolve once spawned. */
  readyLine?: RegExp;
  /** How long to wait for `readyLine` (default 15000 ms). */
  readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL (default 5000 ms). */
  killTimeoutMs?: number;
  /** Also echo output to this process's stderr (debugging). Default: `MIZZEN_TEST_VERBOSE` set. */
  echo?: boolean;
  /** Keep at most this many characters of captured output (default 1 MB). */
  maxOutput?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Captured stdout+stderr, interleaved in arrival order. */
  output(): string;
  /** Resolves when the process exits (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves on the first output line matching `re` after now or already captured. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after the kill timeout; resolves with the exit info. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
}

/**
 * Spawns a child process, captures its output for diagnosis, and waits until it is ready.
 * Rejects (with the captured output in the message) if it exits or times out before ready.
 */
export async function spawnProcess(cmd: string, args: readonly string[], opts: SpawnOptions): Promise<RunningProcess> {
  const echo = opts.echo ?? Boolean(process.env.MIZZEN_TEST_VERBOSE);
  const maxOutput = opts.maxOutput ?? 1_000_000;
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let partial = '';
  const lineWaiters = new Set<{ re: RegExp; resolve: (line: string) => void }>();
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (echo) process.stderr.write(`[${opts.name}] ${text}`);
    out = (out + text).slice(-maxOutput);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      for (const w of lineWaiters) {
        if (w.re.test(line)) {
          lineWaiters.delete(w);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      out += `\n[spawn error] ${err.message}\n`;
      exitInfo = { code: -1, signal: null };
      resolve(exitInfo);
    });
  });

  const describe = (why: string) => new Error(`${opts.name} (${cmd} ${args.join(' ')}): ${why}\n--- output ---\n${out}`);

  const waitForLine = (re: RegExp, timeoutMs = opts.readyTimeoutMs ?? 15_000): Promise<string> => {
    const seen = out.split('\n').find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = { re, resolve: (line: string) => finish(() => resolve(line)) };
      const timer = setTimeout(() => finish(() => reject(describe(`no line matching ${re} within ${timeoutMs} ms`))), timeoutMs);
      const onExit = (info: ExitInfo) => finish(() => reject(describe(`exited (code ${info.code}, signal ${info.signal}) before printing ${re}`)));
      let done = false;
      function finish(f: () => void) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        lineWaiters.delete(waiter);
        f();
      }
      lineWaiters.add(waiter);
      void exited.then(onExit);
    });
  };

  let stopping: Promise<ExitInfo> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> => {
    if (exitInfo) return Promise.resolve(exitInfo);
    stopping ??= (async () => {
      child.kill(signal);
      const killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killTimeoutMs ?? 5000);
      const info = await exited;
      clearTimeout(killTimer);
      return info;
    })();
    return stopping;
  };

  const proc: RunningProcess = {
    name: opts.name,
    pid: child.pid ?? -1,
    child,
    output: () => out,
    exited,
    waitForLine,
    stop,
  };

  if (opts.readyLine) {
    try {
      await waitForLine(opts.readyLine);
    } catch (err) {
      await stop();
      throw err;
    }
  } else {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      void exited.then(() => reject(describe('failed to start')));
    });
  }
  return proc;
}
