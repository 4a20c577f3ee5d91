import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WrkSpec {
  host: string;
  port: number;
  /** Request target: a path, or an absolute URI for a forward proxy. */
  target: string;
  hostHeader: string;
  connections: number;
  durationS: number;
  threads?: number;
}

export interface WrkResult {
  requests: number;
  requestsPerSec: number;
  non2xx: number;
  socketErrors: number;
  latencyAvgMs: number;
}

/**
 * Closed-loop saturation load with wrk (C, one thread by default so it takes one core at most).
 * A Lua script sets the request target, so absolute-form URIs reach a forward proxy. Bounded by
 * wrk's own duration and a kill after duration + 15 s.
 */
export async function runWrk(spec: WrkSpec): Promise<WrkResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wrk-'));
  const script = path.join(dir, 'request.lua');
  fs.writeFileSync(script, `wrk.method = "GET"\nwrk.path = ${JSON.stringify(spec.target)}\nwrk.headers["Host"] = ${JSON.stringify(spec.hostHeader)}\n`);
  try {
    const args = ['-t', String(spec.threads ?? 1), '-c', String(spec.connections), '-d', `${Math.max(1, Math.round(spec.durationS))}s`, '--timeout', '5s', '-s', script, `http://${spec.host}:${spec.port}/`];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), (spec.durationS + 15) * 1000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(kill);
        if (code === 0) resolve(text);
        else reject(new Error(`wrk exited ${code}: ${text}`));
      });
    });
    return parseWrk(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  const lat = /Latency\s+([\d.]+)(us|ms|s|m)\b/.exec(out);
  const se = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: num(/(\d+) requests in/),
    requestsPerSec: num(/Requests\/sec:\s+([\d.]+)/),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: se ? se.slice(1).reduce((s, v) => s + Number(v), 0) : 0,
    latencyAvgMs: lat ? Number(lat[1]) * MS[lat[2]] : NaN,
  };
}
