import path from 'node:path';
import { type RunningProcess, spawnProcess } from '@mizzen/testkit';
import type { Cleanup } from './cleanup';
import { sleep } from './cleanup';
import { PROFILE_DIR, REPO, benchDist } from './paths';
import { ProcessGroup } from './proc-stats';

export interface NodeProcessOptions {
  name: string;
  /** Entry point (an app's `dist/main.js` or a bench helper). */
  script: string;
  args: string[];
  readyLine: RegExp;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
  /** Node flags before the script (e.g. PROXY_NODE_ARGS). */
  nodeArgs?: readonly string[];
  /** Preload the SIGWINCH profiler so {@link BenchProcess.profile} can record a window. */
  profilable?: boolean;
}

/** A process the bench started: its CPU/memory, an optional profiler window, and its output. */
export class BenchProcess {
  private profiles = 0;

  constructor(
    readonly name: string,
    readonly proc: RunningProcess,
    private readonly profilable: boolean,
  ) {}

  get pid(): number {
    return this.proc.pid;
  }

  group(): ProcessGroup {
    return new ProcessGroup(this.name, [this.proc.pid]);
  }

  /** Starts V8's sampling profiler in the process; the returned function stops it and yields the file. */
  async profile(): Promise<() => Promise<string | undefined>> {
    if (!this.profilable) return async () => undefined;
    const file = path.join(PROFILE_DIR, `${this.name}-${++this.profiles}.cpuprofile`);
    this.proc.child.kill('SIGWINCH');
    await sleep(200);
    return async () => {
      this.proc.child.kill('SIGWINCH');
      try {
        await this.proc.waitForLine(new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 30_000);
        return file;
      } catch {
        return undefined;
      }
    };
  }

  /** The last lines of its output, for error messages. */
  tail(lines = 30): string {
    return this.proc.output().split('\n').slice(-lines).join('\n');
  }
}

/** Starts a Node process (registered with `cleanup`) and waits for its ready line. */
export async function startNodeProcess(cleanup: Cleanup, o: NodeProcessOptions): Promise<BenchProcess> {
  const execArgs = [...(o.nodeArgs ?? []), ...(o.profilable ? ['-r', benchDist('common', 'profiling', 'profile-on-signal.js')] : [])];
  const proc = await spawnProcess(process.execPath, [...execArgs, o.script, ...o.args], {
    name: o.name,
    cwd: REPO,
    env: { ...o.env, BENCH_PROFILE_DIR: PROFILE_DIR, BENCH_PROFILE_NAME: o.name },
    readyLine: o.readyLine,
    readyTimeoutMs: o.readyTimeoutMs ?? 30_000,
    killTimeoutMs: 8000,
  });
  cleanup.add(o.name, () => proc.stop());
  return new BenchProcess(o.name, proc, !!o.profilable);
}
