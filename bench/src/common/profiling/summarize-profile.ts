import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../paths';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  selfPercent: number;
}

export interface ProfileSummary {
  file: string;
  durationS: number;
  samples: number;
  /** Self time by function (name and file:line), highest first. */
  functions: ProfileEntry[];
  /** Self time by area: a repo project, an npm package, node internals, GC, idle. */
  areas: ProfileEntry[];
}

/** Where a frame's code lives: `apps/proxy`, `npm:undici`, `node:internal`, `(garbage collector)`. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const file = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return `npm:${nm[1]}`;
  const rel = path.relative(REPO, file);
  const m = /^(apps|libs|bench)\/([^/]+)/.exec(rel);
  return m ? `${m[1]}/${m[2]}` : rel;
}

function frameName(n: CpuProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  if (!url) return functionName || '(anonymous)';
  const file = url.replace(/^file:\/\//, '');
  const shown = file.includes('node_modules/') ? file.slice(file.lastIndexOf('node_modules/') + 13) : path.relative(REPO, file) || file;
  return `${functionName || '(anonymous)'} ${shown}:${lineNumber + 1}`;
}

/** Self time by function and by area from a `.cpuprofile` (Chrome DevTools format). */
export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const total = prof.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const n of prof.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const fn = frameName(n);
    byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
    const area = areaOf(n.callFrame.url, n.callFrame.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const rank = (m: Map<string, number>, k: number): ProfileEntry[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, hits]) => ({ name, selfPercent: Number(((100 * hits) / total).toFixed(1)) }));
  return {
    file: path.relative(REPO, file),
    durationS: Number(((prof.endTime - prof.startTime) / 1e6).toFixed(1)),
    samples: total,
    functions: rank(byFn, top),
    areas: rank(byArea, 10),
  };
}
