import { waitFor } from '@mizzen/testkit';
import { TypeUrl } from '@mizzen/xds-types';
import { type Cleanup, monoMs, sleep } from '../../common/cleanup';
import { type ProfileSummary, summarizeProfile } from '../../common/profiling/summarize-profile';
import { type LatencySummary, summarize } from '../../common/stats';
import type { BenchSettings } from '../scenario';
import { type ChurnRaw, runChurn } from './churn';
import { ClientPool } from './client-pool';
import type { ConvergenceEnv } from './setup';
import { type EdsMode, SimClient } from './sim-client';

export interface Plan {
  clientCounts: number[];
  /** Client counts that also get the endpoint-churn phase. */
  churnFor: number[];
  churnSeconds: number;
  churnRate: number;
  /** Time allowed, after the last client opened its stream, for all to ACK their initial config. */
  syncTimeoutMs: (n: number) => number;
  /** Clients opened per second per worker process. */
  rampPerWorker: (n: number) => number;
  /** Apply rounds at N clients (a push of a 450 KB RDS costs Pilot ~1 ms of CPU per client). */
  applyRounds: (n: number, rounds: number) => number;
  convergeTimeoutMs: number;
}

export const plan = (s: BenchSettings): Plan => {
  const p = defaultPlan(s);
  return s.clients ? { ...p, clientCounts: s.clients, churnFor: s.clients.filter((n) => n <= 1000) } : p;
};

/**
 * The full run fits the 15-minute budget: 5000 clients get a bounded connection window (how many
 * Pilot serves in it) and an apply round only if all of them synced; smaller counts get every round (the first push after the initial sync is the cold one: min–max shows it).
 */
const defaultPlan = (s: BenchSettings): Plan =>
  s.quick
    ? { clientCounts: [100], churnFor: [100], churnSeconds: 3, churnRate: 50, syncTimeoutMs: () => 60_000, rampPerWorker: () => 1000, applyRounds: (_n, r) => r, convergeTimeoutMs: 30_000 }
    : {
        clientCounts: [100, 1000, 5000],
        churnFor: [100, 1000],
        churnSeconds: 12,
        churnRate: 50,
        syncTimeoutMs: (n) => (n >= 5000 ? 60_000 : Math.max(60_000, n * 180)),
        // 5000 at once is a thundering herd Pilot answers type by type (nobody syncs until every
        // CDS is out) and sessions get dropped; a fleet ramps, so 5000 ramp at 100/s in total.
        rampPerWorker: (n) => (n >= 5000 ? 50 : 1000),
        applyRounds: (n, r) => (n >= 5000 ? 1 : r),
        convergeTimeoutMs: 60_000,
      };

export interface ApplyRound {
  round: number;
  /** ms from Galley's apply reply to each client's ACK of the new RDS version. */
  delayMs: LatencySummary;
  unchanged: number;
  /** Clients still syncing when the apply started (left out). */
  excluded: number;
  pushes: number;
  pilotCpuS: number;
  /** CPU of the client worker processes over the same window. */
  clientsCpuS?: number;
  lastPushMs: number;
}

export interface PhaseRaw {
  clients: number;
  workers: number;
  synced: number;
  /** Streams open when the sync window closed. */
  connected: number;
  syncSeconds: number;
  syncPilotCpuS: number;
  syncErrors: string[];
  pilotRssBeforeMb: number;
  pilotRssWithClientsMb: number;
  apply: ApplyRound[];
  churn?: ChurnRaw;
  error?: string;
}

/** Pilot CPU for a few clients' initial sync, by EDS subscription. */
export interface SyncCost {
  eds: string;
  clients: number;
  seconds: number;
  pilotCpuPerClientS: number;
}

export interface ConvergenceRaw {
  syncCost: SyncCost[];
  services: number;
  workloads: number;
  registryLoadSeconds: number;
  pilotIdleRssMb: number;
  phases: PhaseRaw[];
  profiles: Array<{ what: string; summary: ProfileSummary }>;
}

const vsYaml = (round: number): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc-0000, namespace: default }
spec:
  hosts: [svc-0000]
  http:
  - timeout: ${round + 1}s
    route: [{ destination: { host: svc-0000 } }]
`;

/**
 * For each client count: connect the clients (all over their own TCP connections, from worker
 * processes), measure the initial sync and Pilot's memory, then apply rounds (a VirtualService
 * change that alters every sidecar's RDS `http_proxy`), then optionally endpoint churn.
 */
export async function runConvergence(s: BenchSettings, env: ConvergenceEnv, cleanup: Cleanup): Promise<ConvergenceRaw> {
  const p = plan(s);
  const phases: PhaseRaw[] = [];
  const profiles: ConvergenceRaw['profiles'] = [];
  let applyRound = 0;
  const syncCost: SyncCost[] = [];
  await measureSyncCost(env, 'warm-up', { hosts: env.edsHosts }, 5);
  for (const [label, eds] of [
    ['none (CDS, LDS, RDS only)', 'none'],
    [`${env.edsHosts.length} services (what the simulated sidecars use)`, { hosts: env.edsHosts }],
    [`all ${env.fixture.services.length} EDS clusters (Envoy without Sidecar scoping)`, 'all'],
  ] as Array<[string, EdsMode]>) {
    syncCost.push(await measureSyncCost(env, label, eds, 5));
    const c = syncCost[syncCost.length - 1];
    s.log(`  initial sync, EDS ${label}: ${c.pilotCpuPerClientS.toFixed(3)} Pilot CPU s per client`);
  }
  for (const n of p.clientCounts) {
    const pilot = env.cp.pilot.group();
    const workers = n <= 200 ? 1 : 2;
    const phase: PhaseRaw = { clients: n, workers, synced: 0, connected: 0, syncSeconds: NaN, syncPilotCpuS: NaN, syncErrors: [], pilotRssBeforeMb: pilot.rssMb(), pilotRssWithClientsMb: NaN, apply: [] };
    phases.push(phase);
    let pool: ClientPool | undefined;
    const profileThis = s.profile && n === Math.max(...p.clientCounts.filter((c) => c <= 1000));
    try {
      const stopSyncProfile = profileThis ? await env.cp.pilot.profile() : undefined;
      const cpu0 = pilot.cpuSeconds();
      const t0 = monoMs();
      pool = await ClientPool.start(cleanup, { target: env.cp.pilotTarget, clients: n, workers, eds: { hosts: env.edsHosts }, namespace: 'default', perSecondPerWorker: p.rampPerWorker(n) });
      const st = await pool.waitSynced(p.syncTimeoutMs(n), (x) => s.log(`    ${x.synced}/${n} synced...`));
      phase.synced = st.synced;
      phase.connected = st.total - st.closed;
      phase.syncSeconds = (monoMs() - t0) / 1000;
      phase.syncPilotCpuS = pilot.cpuSeconds() - cpu0;
      phase.syncErrors = st.errors;
      const syncProfile = await stopSyncProfile?.();
      if (syncProfile) profiles.push({ what: `Pilot during the initial sync of ${n} clients`, summary: summarizeProfile(syncProfile) });
      s.log(`  ${n} clients: ${st.synced} synced in ${phase.syncSeconds.toFixed(1)} s (Pilot CPU ${phase.syncPilotCpuS.toFixed(1)} s)${st.errors.length ? `; errors: ${st.errors.join('; ')}` : ''}`);
      await sleep(2000);
      phase.pilotRssWithClientsMb = pilot.rssMb();
      if (st.synced === 0) throw new Error('no client synced');
      if (st.synced < n && n >= 5000) {
        s.log(`  ${n} clients: not all synced within the window; no apply round at this size`);
        continue;
      }

      const rounds = p.applyRounds(n, s.rounds);
      for (let r = 1; r <= rounds; r++) {
        const stopProfile = profileThis && r === rounds ? await env.cp.pilot.profile() : undefined;
        phase.apply.push(await applyOnce(env, pool, ++applyRound, r, p.convergeTimeoutMs));
        const a = phase.apply[phase.apply.length - 1];
        s.log(`  ${n} clients, apply round ${r}: p50 ${a.delayMs.p50.toFixed(0)} ms, p99 ${a.delayMs.p99.toFixed(0)} ms, max ${a.delayMs.max.toFixed(0)} ms, ${a.unchanged} not converged; Pilot ${a.pilotCpuS.toFixed(2)} CPU s over ${a.pushes} push(es), client workers ${(a.clientsCpuS ?? NaN).toFixed(2)} CPU s`);
        const file = await stopProfile?.();
        if (file) profiles.push({ what: `Pilot during a VirtualService push to ${n} clients`, summary: summarizeProfile(file) });
      }
      if (p.churnFor.includes(n)) {
        const stopProfile = profileThis ? await env.cp.pilot.profile() : undefined;
        phase.churn = await runChurn(env, pool, { seconds: p.churnSeconds, rate: p.churnRate, settleTimeoutMs: p.convergeTimeoutMs });
        const c = phase.churn;
        s.log(`  ${n} clients, churn ${c.writes} writes: per write p50 ${c.delayMs.p50.toFixed(0)} ms p99 ${c.delayMs.p99.toFixed(0)} ms; last client per write p99 ${c.lastClientMs.p99.toFixed(0)} ms; Pilot CPU ${(100 * c.pilotCpuUtilisation).toFixed(0)}%`);
        const file = await stopProfile?.();
        if (file) profiles.push({ what: `Pilot during endpoint churn (50 changes/s) with ${n} clients`, summary: summarizeProfile(file) });
      }
    } catch (e) {
      phase.error = (e as Error).message;
      s.log(`  ${n} clients: ${phase.error.split('\n')[0]}`);
    } finally {
      await pool?.stop();
      if (n !== p.clientCounts[p.clientCounts.length - 1]) await waitFor(async () => (await env.cp.metrics()).pilot_xds_connections === 0, { timeoutMs: 60_000, intervalMs: 250 }).catch(() => undefined);
    }
  }
  return { syncCost, services: env.fixture.services.length, workloads: env.fixture.workloads.length, registryLoadSeconds: env.loadSeconds, pilotIdleRssMb: env.idleRssMb, phases, profiles };
}

async function measureSyncCost(env: ConvergenceEnv, label: string, eds: EdsMode, n: number): Promise<SyncCost> {
  const pilot = env.cp.pilot.group();
  const cpu0 = pilot.cpuSeconds();
  const t0 = monoMs();
  const clients = Array.from({ length: n }, (_, i) => new SimClient({ index: 60_000 + i, target: env.cp.pilotTarget, namespace: 'default', eds }));
  try {
    for (const c of clients) c.start();
    await waitFor(() => clients.every((c) => c.synced), { timeoutMs: 120_000, intervalMs: 20, message: `sync-cost clients (EDS ${label})` });
    return { eds: label, clients: n, seconds: (monoMs() - t0) / 1000, pilotCpuPerClientS: (pilot.cpuSeconds() - cpu0) / n };
  } finally {
    for (const c of clients) c.stop();
    await waitFor(async () => (await env.cp.metrics()).pilot_xds_connections === 0, { timeoutMs: 30_000, intervalMs: 100 }).catch(() => undefined);
  }
}

async function applyOnce(env: ConvergenceEnv, pool: ClientPool, applyIndex: number, round: number, timeoutMs: number): Promise<ApplyRound> {
  const pilot = env.cp.pilot.group();
  await pool.mark(TypeUrl.RouteConfiguration);
  const m0 = await env.cp.metrics();
  const clients = pool.group();
  const cpu0 = pilot.cpuSeconds();
  const clientsCpu0 = clients.cpuSeconds();
  const { doneAt } = await env.cp.apply(vsYaml(applyIndex));
  const { firstChange: first, excluded } = await pool.waitChanged(TypeUrl.RouteConfiguration, timeoutMs);
  const cpu1 = pilot.cpuSeconds();
  const clientsCpuS = clients.cpuSeconds() - clientsCpu0;
  const m1 = await env.cp.metrics();
  const delays = first.filter((t): t is number => t !== null).map((t) => t - doneAt);
  return {
    round,
    delayMs: summarize(delays),
    unchanged: first.filter((t) => t === null).length,
    excluded,
    pushes: (m1.pilot_xds_pushes_total ?? NaN) - (m0.pilot_xds_pushes_total ?? NaN),
    pilotCpuS: cpu1 - cpu0,
    clientsCpuS,
    lastPushMs: m1.pilot_xds_push_time_ms ?? NaN,
  };
}
