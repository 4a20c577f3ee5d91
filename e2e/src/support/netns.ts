import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { type RunningProcess, type SpawnOptions, spawnProcess } from '@mizzen/testkit';

/** Linux capability number of CAP_NET_ADMIN (linux/capability.h). */
const CAP_NET_ADMIN = 12n;

/**
 * Why this process cannot make network namespaces, or undefined when it can: it needs
 * CAP_NET_ADMIN (and CAP_SYS_ADMIN for `ip netns add`'s mounts, which root has alongside it) and
 * the `ip` tool.
 */
export function netnsUnavailable(): string | undefined {
  let status = '';
  try {
    status = fs.readFileSync('/proc/self/status', 'utf8');
  } catch {
    return 'no /proc/self/status (not Linux)';
  }
  const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (!eff || ((BigInt(`0x${eff}`) >> CAP_NET_ADMIN) & 1n) === 0n) return 'the test process lacks CAP_NET_ADMIN (needed for ip netns add)';
  if (spawnSync('ip', ['-V']).status !== 0) return 'the `ip` tool (iproute2) is not installed';
  return undefined;
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr}`);
}

export interface NetnsRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A network namespace the test creates for itself (`ip netns add`), with loopback up and extra
 * blocks routed as local (`ip route add local <cidr> dev lo`): a socket listening on 0.0.0.0
 * there accepts connections to any address of those blocks, and sees the address the client
 * dialled as its local address, as a TPROXY (IP_TRANSPARENT) listener sees the original
 * destination. Nothing in it is reachable from the root namespace, nor the other way round, so
 * every process of a test (NATS, Galley, Pilot, proxies, servers, clients) runs inside.
 */
export class NetNs {
  private readonly procs: RunningProcess[] = [];
  private readonly children = new Set<ChildProcessWithoutNullStreams>();

  private constructor(readonly name: string) {}

  static create(name: string, localBlocks: readonly string[]): NetNs {
    ip(['netns', 'add', name]);
    const ns = new NetNs(name);
    try {
      ip(['-n', name, 'link', 'set', 'lo', 'up']);
      for (const block of localBlocks) ip(['-n', name, 'route', 'add', 'local', block, 'dev', 'lo']);
    } catch (err) {
      ip(['netns', 'del', name]);
      throw err;
    }
    return ns;
  }

  /** `ip netns exec <ns> cmd args...` (ip execs the command: the pid is the command's own). */
  async spawn(cmd: string, args: readonly string[], opts: SpawnOptions): Promise<RunningProcess> {
    const p = await spawnProcess('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
    this.procs.push(p);
    return p;
  }

  /** Runs a command in the namespace to completion (killed after `timeoutMs`). */
  run(cmd: string, args: readonly string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<NetnsRunResult> {
    return new Promise((resolve) => {
      const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
      this.children.add(child);
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => {
        clearTimeout(timer);
        this.children.delete(child);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
  }

  /** A long-lived process with piped stdin/stdout (for line-based request/response helpers). */
  spawnPiped(cmd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
    const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('close', () => this.children.delete(child));
    return child;
  }

  /**
   * Stops what this helper started (newest first), then any process still in the namespace (all
   * started by this test, by pid), then deletes the namespace.
   */
  async destroy(): Promise<void> {
    for (const c of this.children) c.kill('SIGKILL');
    for (const p of [...this.procs].reverse()) await p.stop();
    const left = spawnSync('ip', ['netns', 'pids', this.name], { encoding: 'utf8' });
    for (const pid of (left.stdout ?? '').split(/\s+/).filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('ip', ['netns', 'del', this.name]);
  }
}
