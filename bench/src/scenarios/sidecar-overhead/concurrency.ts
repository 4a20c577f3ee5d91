import { PROXY_NODE_ARGS } from '@mizzen/contracts';
import type { Cleanup } from '../../common/cleanup';
import { startNginx } from '../../common/nginx';
import { appMain } from '../../common/paths';
import { ProcessGroup, cpuMeter } from '../../common/proc-stats';
import { type BenchProcess, startNodeProcess } from '../../common/processes';
import { overRounds } from '../../common/stats';
import { waitFor } from '@mizzen/testkit';
import { fmtStat } from '../../report/format';
import { type Headline, type Table, TARGETS, headline } from '../../report/model';
import { type WrkResult, runWrk } from '../../load/wrk';
import type { BenchSettings } from '../scenario';
import { SATURATION_CONNECTIONS, type Durations } from './run';
import { ADDR, type OverheadEnv, UPSTREAMS, targets } from './setup';

/** Proxies with 2 worker processes (issue 5: "more than one core when given them"). */
export const WORKER_ADDR = { proxy: '127.0.77.14', nginx: '127.0.77.15' } as const;
const WORKERS = 2;

/** One-proxy saturation paths, by worker count: the existing 1-worker ones and the 2-worker ones. */
export type WorkerPath = 'nginx-1' | 'mizzen-1' | 'nginx-2' | 'mizzen-2';
export const WORKER_PATHS: readonly WorkerPath[] = ['nginx-1', 'mizzen-1', 'nginx-2', 'mizzen-2'];

export interface WorkerSample {
  round: number;
  path: WorkerPath;
  saturation?: WrkResult & { proxyCpuS: number };
  error?: string;
}

export interface WorkersRaw {
  workers: number;
  samples: WorkerSample[];
}

export interface WorkersEnv {
  proxy: BenchProcess;
  nginx?: { group(): ProcessGroup };
}

/** A third proxy (`--concurrency 2`) and a second nginx reverse proxy (`worker_processes 2`), node upstream only. */
export async function setupWorkers(env: OverheadEnv, cleanup: Cleanup): Promise<WorkersEnv> {
  const u = UPSTREAMS.node;
  const nginx = env.nginxProxy
    ? await startNginx(cleanup, {
        name: 'nginx-proxy-2w',
        workers: WORKERS,
        httpBlocks: `
  upstream up { server ${ADDR.upstream}:${u.port}; keepalive 64; }
  server { listen ${WORKER_ADDR.nginx}:${u.nginxProxyPort}; location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } }`,
        listens: [`${WORKER_ADDR.nginx}:${u.nginxProxyPort}`],
      })
    : undefined;
  const proxy = await startNodeProcess(cleanup, {
    name: 'sidecar-client-2w',
    script: appMain('proxy'),
    nodeArgs: PROXY_NODE_ARGS,
    args: ['--type', 'sidecar', '--ip', WORKER_ADDR.proxy, '--namespace', 'default', '--pilot', env.cp.pilotTarget, '--access-log', 'off', '--workload', 'bench-client-2w', '--labels', 'app=bench-client,version=v2w', '--concurrency', String(WORKERS)],
    readyLine: /proxy ready/,
    readyTimeoutMs: 60_000,
  });
  const t = workerTarget('mizzen-2', env, { proxy, nginx });
  if (t) await waitFor(() => runWrk({ ...t, connections: 1, durationS: 1 }).then((r) => r.requests > 0 && r.non2xx === 0, () => false), { timeoutMs: 60_000, intervalMs: 500, message: 'the 2-worker proxy never answered 200' });
  return { proxy, nginx };
}

function workerTarget(p: WorkerPath, env: OverheadEnv, w: WorkersEnv): { host: string; port: number; target: string; hostHeader: string; group: ProcessGroup } | undefined {
  const u = UPSTREAMS.node;
  const [one] = targets(u, 'mizzen-1-proxy');
  const [ngx] = targets(u, 'nginx');
  switch (p) {
    case 'mizzen-1':
      return { ...one, group: env.clientSidecar.group() };
    case 'mizzen-2':
      // The primary and its worker processes (BenchProcess.group() is the primary alone).
      return { ...one, host: WORKER_ADDR.proxy, group: ProcessGroup.tree(w.proxy.name, w.proxy.pid) };
    case 'nginx-1':
      return env.nginxProxy ? { ...ngx, group: env.nginxProxy.group() } : undefined;
    case 'nginx-2':
      return w.nginx ? { ...ngx, host: WORKER_ADDR.nginx, hostHeader: `${WORKER_ADDR.nginx}:${u.nginxProxyPort}`, group: w.nginx.group() } : undefined;
  }
}

/** Interleaved rounds of wrk saturation (-t1 -c32) over the four one-proxy paths (node upstream). */
export async function runWorkers(s: BenchSettings, env: OverheadEnv, w: WorkersEnv, d: Durations): Promise<WorkersRaw> {
  const samples: WorkerSample[] = [];
  const paths = WORKER_PATHS.filter((p) => workerTarget(p, env, w));
  for (const p of paths) await runWrk({ ...(workerTarget(p, env, w) as NonNullable<ReturnType<typeof workerTarget>>), connections: SATURATION_CONNECTIONS, durationS: d.warmupS }).catch(() => undefined);
  for (let round = 1; round <= s.rounds; round++) {
    for (const p of paths) {
      const t = workerTarget(p, env, w) as NonNullable<ReturnType<typeof workerTarget>>;
      const sample: WorkerSample = { round, path: p };
      try {
        // The group is re-read per run: a 2-worker proxy's pids are its primary and its workers.
        const meter = cpuMeter(t.group);
        const r = await runWrk({ ...t, connections: SATURATION_CONNECTIONS, durationS: d.saturationS });
        sample.saturation = { ...r, proxyCpuS: meter.stop() / d.saturationS };
      } catch (e) {
        sample.error = (e as Error).message;
      }
      samples.push(sample);
      s.log(`  workers round ${round}/${s.rounds} ${p.padEnd(9)} ${sample.error ? `error: ${sample.error.split('\n')[0]}` : `${Math.round(sample.saturation?.requestsPerSec ?? NaN)} req/s, proxy ${sample.saturation?.proxyCpuS.toFixed(2)} vCPU`}`);
    }
  }
  return { workers: WORKERS, samples };
}

const LABEL: Record<WorkerPath, string> = {
  'nginx-1': 'nginx, worker_processes 1',
  'mizzen-1': 'Mizzen proxy, --concurrency 1',
  'nginx-2': 'nginx, worker_processes 2',
  'mizzen-2': 'Mizzen proxy, --concurrency 2',
};
const NGINX_OF: Record<WorkerPath, WorkerPath | undefined> = { 'nginx-1': undefined, 'nginx-2': undefined, 'mizzen-1': 'nginx-1', 'mizzen-2': 'nginx-2' };

export function reportWorkers(raw: WorkersRaw, rounds: number): { headlines: Headline[]; tables: Table[] } {
  const pick = (p: WorkerPath) => Array.from({ length: rounds }, (_, i) => raw.samples.find((x) => x.round === i + 1 && x.path === p));
  const rps = (p: WorkerPath) => pick(p).map((x) => x?.saturation?.requestsPerSec ?? NaN);
  const ratio = (a: WorkerPath, b: WorkerPath) => overRounds(rps(a).map((v, i) => v / rps(b)[i]));
  const present = WORKER_PATHS.filter((p) => raw.samples.some((x) => x.path === p));
  const table: Table = {
    title: `Proxy worker processes: one-proxy saturation (node upstream; wrk -t1 -c${SATURATION_CONNECTIONS}; req/s, median over rounds)`,
    columns: ['path', 'req/s', 'x nginx (same workers)', 'x same proxy at 1 worker', 'proxy CPU (vCPU, all its processes)', 'errors + non-2xx'],
    rows: present.map((p) => {
      const nginx = NGINX_OF[p];
      const one: WorkerPath | undefined = p === 'mizzen-2' ? 'mizzen-1' : p === 'nginx-2' ? 'nginx-1' : undefined;
      return [
        LABEL[p],
        fmtStat(overRounds(rps(p)), 0),
        nginx && present.includes(nginx) ? fmtStat(ratio(p, nginx)) : '',
        one && present.includes(one) ? fmtStat(ratio(p, one)) : '',
        fmtStat(overRounds(pick(p).map((x) => x?.saturation?.proxyCpuS ?? NaN))),
        fmtStat(overRounds(pick(p).map((x) => (x?.saturation ? x.saturation.non2xx + x.saturation.socketErrors : NaN))), 0),
      ];
    }),
    notes: [
      `The ${raw.workers}-worker Mizzen proxy is a third process (${WORKER_ADDR.proxy}) configured by the same Pilot; the 2-worker nginx a second nginx (${WORKER_ADDR.nginx}). The machine has 2 cores shared by wrk (one thread, up to one core), the node upstream and the proxy: a 2-worker proxy cannot get 2 cores to itself here.`,
    ],
  };
  const has = present.includes('nginx-2') && present.includes('mizzen-2');
  const headlines = [
    headline('overhead.saturation_vs_nginx_2_workers', `One proxy saturation throughput vs nginx, both ${raw.workers} worker processes (node upstream)`, 'x', has ? ratio('mizzen-2', 'nginx-2') : overRounds([]), TARGETS.saturationVsNginx, has ? undefined : 'nginx not available'),
  ];
  return { headlines, tables: [table] };
}
