import { type Cleanup, sleep } from '../../common/cleanup';
import { type ProcessGroup, cpuMeter } from '../../common/proc-stats';
import { type ProfileSummary, summarizeProfile } from '../../common/profiling/summarize-profile';
import type { ConstantRateResult } from '../../load/constant-rate';
import { LoadGenerator } from '../../load/load-generator';
import { type WrkResult, runWrk } from '../../load/wrk';
import type { BenchSettings } from '../scenario';
import { CONFIGS, type ConfigName, H2, type OverheadEnv, type Target, h2Targets, targets } from './setup';

/** How long the sidecars sit without traffic before the idle CPU and memory are measured. */
const IDLE_SETTLE_MS = 40_000;

export const FIXED_RATE = 1000;
export const FIXED_CONNECTIONS = 4;
/**
 * An unmeasured run at the fixed rate right before each measured one. A path's sidecars sit idle
 * while the other paths run (the mTLS pair 30-70 s). A Node process that goes quiet after
 * a burst that grew its heap gets V8's memory reducer: memory-reducing full GCs (seen 8-60 s into
 * the idle period) that drop the maps and bytecode the request path's optimised code depends on,
 * so the next ~1-2 s of traffic run unoptimised and re-optimise at several times the usual CPU per
 * request. The measured window is meant to be the path's steady state, not that re-warm.
 */
export const FIXED_WARMUP_MS = 1000;
export const SATURATION_CONNECTIONS = 32;
/** HTTP/2 and gRPC saturation: the bench's closed loop, 32 streams over 4 connections. */
export const H2_SATURATION = { connections: 4, concurrency: 32 };

/** Row label of the HTTP/2 upstreams in the tables. */
export const H2_LABEL: Record<keyof typeof H2, string> = { h2: 'HTTP/2 (h2c)', grpc: 'gRPC unary' };

export interface Durations {
  fixedS: number;
  saturationS: number;
  warmupS: number;
  profileS: number;
}

export const durations = (s: BenchSettings): Durations => (s.quick ? { fixedS: 2, saturationS: 2, warmupS: 1, profileS: 0 } : { fixedS: 4, saturationS: 2, warmupS: 2, profileS: 6 });

/** CPU seconds each process group used per 1000 completed requests. */
export type CpuPer1000 = Record<string, number>;

export interface Sample {
  round: number;
  upstream: string;
  config: ConfigName;
  fixed?: ConstantRateResult & { cpuPer1000: CpuPer1000 };
  saturation?: WrkResult & { cpuPer1000: CpuPer1000 };
  error?: string;
}

export interface OverheadRaw {
  durations: Durations;
  rounds: number;
  fillerServices: number;
  samples: Sample[];
  idleRssMb: Record<string, number>;
  /** Idle private memory (RSS without shared pages such as the node executable); absent in older results. */
  idlePrivateMb?: Record<string, number>;
  /** CPU seconds per second while idle (xDS, stats and timers with no traffic). */
  idleCpu: Record<string, number>;
  peakRssMb: Record<string, number>;
  /** HTTP/2 kinds measured (`HTTP/2 (h2c)`, `gRPC unary`); the notes say why any is missing. */
  h2Measured: string[];
  profiles: Array<{ what: string; summary: ProfileSummary }>;
  notes: string[];
}

function groups(env: OverheadEnv): ProcessGroup[] {
  const g = [env.clientSidecar.group(), env.serverSidecar.group(), env.clientSidecarMtls.group(), env.serverSidecarMtls.group(), env.nodeUpstream.group(), env.h2Upstream.group()];
  if (env.nginxProxy) g.push(env.nginxProxy.group());
  if (env.staticUpstream) g.push(env.staticUpstream.group());
  return g;
}

/** Runs `fn` while metering every group's CPU; returns CPU seconds per 1000 requests. */
async function metered<T>(gs: ProcessGroup[], fn: () => Promise<T>, requests: (r: T) => number): Promise<{ result: T; cpuPer1000: CpuPer1000 }> {
  const meters = gs.map((g) => ({ name: g.name, m: cpuMeter(g) }));
  const result = await fn();
  const n = requests(result) / 1000;
  const cpuPer1000: CpuPer1000 = {};
  for (const { name, m } of meters) cpuPer1000[name] = n > 0 ? m.stop() / n : NaN;
  return { result, cpuPer1000 };
}

/** The load generator's constant-rate side (a fake in tests). */
export type RateRunner = Pick<LoadGenerator, 'run'>;

/**
 * One fixed-rate sample of a path: {@link FIXED_WARMUP_MS} unmeasured at the same rate and
 * connections (its failure is left to the measured run to report), then `durationMs` metered.
 */
export async function fixedRateSample(load: RateRunner, gs: ProcessGroup[], t: Target, durationMs: number): Promise<ConstantRateResult & { cpuPer1000: CpuPer1000 }> {
  const spec = (ms: number) => ({ ...t, rate: FIXED_RATE, connections: FIXED_CONNECTIONS, durationMs: ms });
  await load.run(spec(FIXED_WARMUP_MS)).catch(() => undefined);
  const fixed = await metered(gs, () => load.run(spec(durationMs)), (r) => r.completed);
  return { ...fixed.result, cpuPer1000: fixed.cpuPer1000 };
}

export const configsOf = (env: OverheadEnv): ConfigName[] => CONFIGS.filter((c) => c !== 'nginx' || !!env.nginxProxy);

/**
 * Rounds of: for each upstream, for each configuration, a constant-rate run (1000 rps, 4
 * connections) then a saturation run (wrk, 32 connections). Configurations alternate inside a
 * round, so drift on a shared machine hits all of them alike.
 */
export async function runOverhead(s: BenchSettings, env: OverheadEnv, cleanup: Cleanup): Promise<OverheadRaw> {
  const d = durations(s);
  const load = LoadGenerator.start(cleanup);
  const gs = groups(env);
  const configs = configsOf(env);
  const plan: Array<{ upstream: string; t: Target }> = [
    ...env.upstreams.flatMap((u) => configs.flatMap((c) => targets(u, c).map((t) => ({ upstream: u.name as string, t })))),
    ...env.h2Kinds.flatMap((k) => h2Targets(k).map((t) => ({ upstream: H2_LABEL[k], t }))),
  ];

  // Idle means settled: V8's memory reducer collects the garbage of the initial config once the
  // allocation rate has been low for a while (8-16 s in probes; with four sidecars and the
  // control plane on 2 cores, 3 of 4 sidecars were not reduced after 20 s in the 2026-12-06 run;
  // a 1000-service sidecar: ~110 MB RSS before, ~83 MB after).
  await sleep(IDLE_SETTLE_MS);
  const idleGroups = [env.clientSidecar.group(), env.serverSidecar.group(), ...(env.nginxProxy ? [env.nginxProxy.group()] : [])];
  const idleMeters = idleGroups.map((g) => ({ name: g.name, m: cpuMeter(g) }));
  await sleep(3000);
  const idleCpu = Object.fromEntries(idleMeters.map(({ name, m }) => [name, m.stop() / 3]));
  const idleGroupsByName: Record<string, ProcessGroup> = {
    'sidecar-client': env.clientSidecar.group(),
    'sidecar-server': env.serverSidecar.group(),
    'sidecar-client-mtls': env.clientSidecarMtls.group(),
    'sidecar-server-mtls': env.serverSidecarMtls.group(),
    ...(env.nginxProxy ? { 'nginx-proxy': env.nginxProxy.group() } : {}),
  };
  const idleRssMb = Object.fromEntries(Object.entries(idleGroupsByName).map(([n, g]) => [n, g.rssMb()]));
  const idlePrivateMb = Object.fromEntries(Object.entries(idleGroupsByName).map(([n, g]) => [n, g.privateMb()]));

  s.log(`  warm-up: ${plan.length} paths x ${d.warmupS} s`);
  for (const { t } of plan) await saturate(load, t, d.warmupS).catch(() => undefined);

  const samples: Sample[] = [];
  for (let round = 1; round <= s.rounds; round++) {
    for (const { upstream, t } of plan) {
      const sample: Sample = { round, upstream, config: t.config };
      try {
        sample.fixed = await fixedRateSample(load, gs, t, d.fixedS * 1000);
        const sat = await metered(gs, () => saturate(load, t, d.saturationS), (r) => r.requests);
        sample.saturation = { ...sat.result, cpuPer1000: sat.cpuPer1000 };
      } catch (e) {
        sample.error = (e as Error).message;
      }
      samples.push(sample);
      s.log(`  round ${round}/${s.rounds} ${sample.upstream.padEnd(12)} ${t.config.padEnd(17)} ${describe(sample)}`);
    }
  }

  const profiles = d.profileS > 0 && s.profile ? await profilePass(s, env, load, d) : [];
  const peakRssMb = {
    'sidecar-client': env.clientSidecar.group().peakRssMb(),
    'sidecar-server': env.serverSidecar.group().peakRssMb(),
    'sidecar-client-mtls': env.clientSidecarMtls.group().peakRssMb(),
    'sidecar-server-mtls': env.serverSidecarMtls.group().peakRssMb(),
    ...(env.nginxProxy ? { 'nginx-proxy': env.nginxProxy.group().peakRssMb() } : {}),
  };
  return { durations: d, rounds: s.rounds, fillerServices: env.fillerServices, samples, idleRssMb, idlePrivateMb, idleCpu, peakRssMb, h2Measured: env.h2Kinds.map((k) => H2_LABEL[k]), profiles, notes: env.notes };
}

/** Saturation: wrk for HTTP/1.1; the bench's closed loop for HTTP/2 and gRPC (wrk speaks neither). */
async function saturate(load: LoadGenerator, t: Target, durationS: number): Promise<WrkResult> {
  if (t.protocol === 'http1') return runWrk({ ...t, connections: SATURATION_CONNECTIONS, durationS });
  const r = await load.closedLoop({ ...t, ...H2_SATURATION, durationMs: durationS * 1000 });
  if (r.completed === 0) throw new Error(`no request completed: ${r.firstError ?? 'unknown error'}`);
  return { requests: r.completed, requestsPerSec: r.requestsPerSec, non2xx: r.non2xx, socketErrors: r.errors, latencyAvgMs: NaN };
}

function describe(x: Sample): string {
  if (x.error) return `error: ${x.error.split('\n')[0]}`;
  const f = x.fixed?.latencyMs;
  return `1000 rps p50 ${f?.p50.toFixed(2)} p90 ${f?.p90.toFixed(2)} p99 ${f?.p99.toFixed(2)} ms; saturation ${Math.round(x.saturation?.requestsPerSec ?? NaN)} req/s`;
}

/** A separate pass with the profiler on (never counted in the figures above). */
async function profilePass(s: BenchSettings, env: OverheadEnv, load: LoadGenerator, d: Durations): Promise<OverheadRaw['profiles']> {
  const out: OverheadRaw['profiles'] = [];
  const node = env.upstreams[0];
  const [mesh] = targets(node, 'mizzen-2-sidecars');
  const [one] = targets(node, 'mizzen-1-proxy');
  s.log(`  profiling: two sidecars at ${FIXED_RATE} rps, then one proxy at saturation (${d.profileS} s each)`);
  const stopClient = await env.clientSidecar.profile();
  const stopServer = await env.serverSidecar.profile();
  await load.run({ ...mesh, rate: FIXED_RATE, connections: FIXED_CONNECTIONS, durationMs: d.profileS * 1000 });
  for (const [what, stop] of [
    ['client sidecar, two-sidecar path at 1000 rps', stopClient],
    ['server sidecar, two-sidecar path at 1000 rps', stopServer],
  ] as const) {
    const file = await stop();
    if (file) out.push({ what, summary: summarizeProfile(file) });
  }
  const stopOne = await env.clientSidecar.profile();
  await runWrk({ ...one, connections: SATURATION_CONNECTIONS, durationS: d.profileS });
  const file = await stopOne();
  if (file) out.push({ what: 'one proxy at saturation (wrk, 32 connections)', summary: summarizeProfile(file) });
  if (env.h2Kinds.includes('h2')) {
    // HTTP/2 costs ~2.5x HTTP/1.1 per request on the two-sidecar path: profile both sidecars there.
    const h2Mesh = h2Targets('h2').find((t) => t.config === 'mizzen-2-sidecars') as Target;
    s.log(`  profiling: two sidecars on the HTTP/2 path at saturation (${d.profileS} s)`);
    const stops = [await env.clientSidecar.profile(), await env.serverSidecar.profile()];
    await load.closedLoop({ ...h2Mesh, ...H2_SATURATION, durationMs: d.profileS * 1000 });
    for (const [what, stop] of [
      ['client sidecar, HTTP/2 two-sidecar path at saturation (closed loop)', stops[0]],
      ['server sidecar, HTTP/2 two-sidecar path at saturation (closed loop)', stops[1]],
    ] as const) {
      const f = await stop();
      if (f) out.push({ what, summary: summarizeProfile(f) });
    }
  }
  return out;
}
