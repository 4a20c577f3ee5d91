import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { REPO } from './paths';
import { loadAverage } from './proc-stats';
import { which } from './system-packages';

export interface Machine {
  cpuModel: string;
  /** Logical CPUs the kernel reports (/proc/cpuinfo `processor` entries). */
  cpus: number;
  cpuMHz?: number;
  cacheSize?: string;
  memoryTotalMb: number;
  memoryAvailableMbAtStart: number;
  os: string;
  kernel: string;
  node: string;
  tools: Record<string, string>;
  gitCommit: string;
  /** Load averages (1/5/15 min) when the run started: other work on the machine. */
  loadAverageAtStart: [number, number, number];
}

const read = (p: string): string => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

function toolVersion(cmd: string, args: string[], re: RegExp): string | undefined {
  if (!which(cmd)) return undefined;
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  const m = re.exec(`${r.stdout}${r.stderr}`);
  return m?.[1];
}

export function describeMachine(): Machine {
  const cpuinfo = read('/proc/cpuinfo');
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(cpuinfo)?.[1]?.trim();
  const meminfo = read('/proc/meminfo');
  const memKb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? NaN);
  const git = spawnSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['-C', REPO, 'status', '--porcelain', '--', 'apps', 'libs'], { encoding: 'utf8' }).stdout.trim();
  const tools: Record<string, string> = {};
  const versions: Array<[string, string | undefined]> = [
    ['nginx', toolVersion('nginx', ['-v'], /nginx\/([\d.]+)/)],
    ['wrk', toolVersion('wrk', ['-v'], /wrk ([\d.]+)/)],
    ['nats-server', toolVersion('nats-server', ['--version'], /v([\d.]+)/)],
  ];
  for (const [k, v] of versions) if (v) tools[k] = v;
  return {
    cpuModel: field('model name') ?? os.cpus()[0]?.model ?? 'unknown',
    cpus: (cpuinfo.match(/^processor\s*:/gm) ?? []).length || os.cpus().length,
    cpuMHz: field('cpu MHz') ? Math.round(Number(field('cpu MHz'))) : undefined,
    cacheSize: field('cache size'),
    memoryTotalMb: Math.round(memKb('MemTotal') / 1024),
    memoryAvailableMbAtStart: Math.round(memKb('MemAvailable') / 1024),
    os: /^PRETTY_NAME="?([^"\n]+)"?/m.exec(read('/etc/os-release'))?.[1] ?? os.type(),
    kernel: os.release(),
    node: process.version,
    tools,
    gitCommit: `${git}${dirty ? ' (apps/ or libs/ had uncommitted changes: built from the working tree)' : ''}`,
    loadAverageAtStart: loadAverage(),
  };
}
