import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** A line on stdout/stderr that means "ready". */
  ready?: RegExp;
  readyTimeoutMs?: number;
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts processes in order, writes each one's output to `<logDir>/<name>.log`, waits for its ready
 * line, and stops them all in reverse order (SIGTERM, then SIGKILL after a grace period).
 */
export class Supervisor {
  private readonly running: Running[] = [];
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly onUnexpectedExit: (name: string, code: number | null) => void,
  ) {
    fs.mkdirSync(logDir, { recursive: true });
  }

  async start(spec: ProcessSpec): Promise<void> {
    const log = fs.createWriteStream(path.join(this.logDir, `${spec.name}.log`), { flags: 'w' });
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    this.running.push({ spec, child, exited });
    let buffer = '';
    let onReady: (() => void) | undefined;
    const readyP = new Promise<void>((resolve) => (onReady = resolve));
    const feed = (chunk: Buffer) => {
      log.write(chunk);
      if (!spec.ready) return;
      buffer = (buffer + chunk.toString()).slice(-8192);
      if (spec.ready.test(buffer)) onReady?.();
    };
    child.stdout?.on('data', feed);
    child.stderr?.on('data', feed);
    void exited.then((code) => {
      log.end();
      if (!this.stopping) this.onUnexpectedExit(spec.name, code);
    });
    if (!spec.ready) return;
    const timeout = spec.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      readyP.then(() => 'ready' as const),
      exited.then(() => 'exited' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout))),
    ]);
    clearTimeout(timer);
    if (outcome !== 'ready') {
      throw new Error(`${spec.name} ${outcome === 'exited' ? 'exited' : `was not ready after ${timeout} ms`}; see ${path.join(this.logDir, spec.name + '.log')}`);
    }
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.running.map((r) => [r.spec.name, r.child.pid]));
  }

  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    for (const r of [...this.running].reverse()) {
      if (r.child.exitCode !== null || r.child.signalCode !== null) continue;
      r.child.kill(r.spec.command.endsWith('nats-server') ? 'SIGINT' : 'SIGTERM');
      const killer = setTimeout(() => r.child.kill('SIGKILL'), graceMs);
      await r.exited;
      clearTimeout(killer);
    }
  }
}
