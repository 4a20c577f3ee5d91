import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Per-process CPU and memory from /proc (Linux). CPU is utime+stime of the process itself
 * (fields 14 and 15 of /proc/<pid>/stat, in clock ticks); memory is VmRSS (now) and VmHWM (peak
 * resident set since start) from /proc/<pid>/status.
 */

let clockTicks: number | undefined;

/** `getconf CLK_TCK` (100 on every Linux we know of, but ask). */
export function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function readStat(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: split after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used, or NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  const f = readStat(pid);
  if (!f) return NaN;
  // f[0] is field 3 (state); utime is field 14 -> f[11], stime field 15 -> f[12].
  return (Number(f[11]) + Number(f[12])) / clkTck();
}

function statusKb(pid: number, key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Resident set size now, in MB. */
export const rssMb = (pid: number): number => statusKb(pid, 'VmRSS') / 1024;
/** Peak resident set size since the process started (VmHWM), in MB. */
export const peakRssMb = (pid: number): number => statusKb(pid, 'VmHWM') / 1024;

/**
 * Private (unshared) resident memory in MB: smaps_rollup's Private_Clean + Private_Dirty, i.e. RSS
 * without pages shared with other processes (the node executable's text, shared libraries).
 */
export function privateMb(pid: number): number {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(rollup)?.[1] ?? NaN);
    return (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
  } catch {
    return NaN;
  }
}

/** Direct and indirect children of `pid` (scans /proc: no CONFIG_PROC_CHILDREN needed). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = readStat(Number(name));
    if (f) parentOf.set(Number(name), Number(f[1]));
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift() as number;
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** A process (or a process tree, e.g. nginx master + workers) whose CPU and memory we sample. */
export class ProcessGroup {
  constructor(
    readonly name: string,
    readonly pids: readonly number[],
  ) {}

  static tree(name: string, rootPid: number): ProcessGroup {
    return new ProcessGroup(name, [rootPid, ...descendants(rootPid)]);
  }

  cpuSeconds(): number {
    return this.pids.reduce((s, p) => s + cpuSeconds(p), 0);
  }

  rssMb(): number {
    return this.pids.reduce((s, p) => s + rssMb(p), 0);
  }

  peakRssMb(): number {
    return this.pids.reduce((s, p) => s + peakRssMb(p), 0);
  }

  privateMb(): number {
    return this.pids.reduce((s, p) => s + privateMb(p), 0);
  }
}

/** CPU used by a group between `start()` and `stop()`. */
export function cpuMeter(group: ProcessGroup): { stop(): number } {
  const before = group.cpuSeconds();
  return { stop: () => group.cpuSeconds() - before };
}

/** /proc/loadavg: the 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  try {
    const [a, b, c] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
    return [a, b, c];
  } catch {
    return [NaN, NaN, NaN];
  }
}
