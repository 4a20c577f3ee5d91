import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A command the bench needs and the Debian package providing it. */
export interface Tool {
  command: string;
  debianPackage: string;
}

export const TOOLS: Record<'nginx' | 'wrk' | 'natsServer', Tool> = {
  nginx: { command: 'nginx', debianPackage: 'nginx-light' },
  wrk: { command: 'wrk', debianPackage: 'wrk' },
  natsServer: { command: 'nats-server', debianPackage: 'nats-server' },
};

const SEARCH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Absolute path of a command, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of SEARCH) {
    const p = path.join(dir, command);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Installs missing tools from Debian (`apt-get update` once, then `apt-get install -y`), as root
 * or through passwordless sudo. Returns what is still missing, with the reason.
 */
export function ensureTools(tools: readonly Tool[], log: (m: string) => void): Map<string, string> {
  const missing = tools.filter((t) => !which(t.command));
  const problems = new Map<string, string>();
  if (!missing.length) return problems;
  const pkgs = missing.map((t) => t.debianPackage);
  const isRoot = process.getuid?.() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  if (!which('apt-get')) {
    for (const t of missing) problems.set(t.command, `not installed and no apt-get to install ${t.debianPackage}`);
    return problems;
  }
  log(`installing ${pkgs.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...prefix, ...args];
    return spawnSync(cmd, rest, { env, encoding: 'utf8', timeout: 300_000 });
  };
  const update = run(['apt-get', 'update', '-qq']);
  if (update.status !== 0) log(`apt-get update failed: ${(update.stderr ?? '').trim().slice(-300)}`);
  const install = run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
  for (const t of missing) {
    if (!which(t.command)) problems.set(t.command, `apt-get install ${t.debianPackage} failed: ${(install.stderr || install.stdout || '').trim().slice(-300)}`);
  }
  return problems;
}
