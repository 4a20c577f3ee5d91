import { waitFor } from '@mizzen/testkit';
import { TypeUrl } from '@mizzen/xds-types';
import { monoMs, sleep } from '../../common/cleanup';
import { type LatencySummary, summarize } from '../../common/stats';
import { fixtureAddress } from '../../control-plane/registry-fixture';
import type { ClientPool } from './client-pool';
import { type ConvergenceEnv, WORKLOADS_PER_SERVICE } from './setup';
import { SimClient } from './sim-client';

export interface ChurnRaw {
  /** Clients measured (synced before churn started) and left out (still syncing). */
  clients: number;
  excludedClients: number;
  writes: number;
  seconds: number;
  /** Writes per second actually achieved. */
  rate: number;
  /** Per (client, write): ms from the write's KV ack to the client ACKing an EDS version holding it. */
  delayMs: LatencySummary;
  /** Per write: ms until the last client ACKed a version holding it. */
  lastClientMs: LatencySummary;
  /** (client, write) pairs never converged before the settle timeout. */
  unconverged: number;
  /** Distinct EDS versions the probe saw during churn (how often Pilot pushed). */
  edsVersions: number;
  pilotCpuS: number;
  /** Pilot CPU seconds per wall second during churn and settling. */
  pilotCpuUtilisation: number;
  pushes: number;
}

/**
 * Churn addresses are unique over the whole bench run, not per churn phase: a phase that reused
 * the previous phase's addresses would find its late writes already in the probe's initial EDS
 * (the workloads still hold the previous phase's last addresses) and count them, and through
 * "a later write to the same workload" every earlier one, as delivered before they were written.
 */
let nextAddress = 0;

interface Write {
  k: number;
  workload: string;
  address: string;
  at: number;
}

/**
 * Endpoint churn: `rate` workload changes per second for `seconds` (each moves one workload of
 * the EDS-subscribed services to a new, unique loopback address in KV, so every client is affected). A probe client, itself a simulated sidecar that reads the
 * endpoint addresses out of its EDS responses, tells which EDS version first holds each write;
 * every client's ACK history then gives, per write, when that client had it.
 */
export async function runChurn(env: ConvergenceEnv, pool: ClientPool, o: { seconds: number; rate: number; settleTimeoutMs: number }): Promise<ChurnRaw> {
  const probe = new SimClient({ index: 65000, target: env.cp.pilotTarget, namespace: 'default', eds: { hosts: env.edsHosts }, captureEndpoints: true });
  probe.start();
  try {
    await waitFor(() => probe.synced, { timeoutMs: 60_000, message: 'churn probe never synced' });
    const pilot = env.cp.pilot.group();
    const m0 = await env.cp.metrics();
    const cpu0 = pilot.cpuSeconds();
    const start = monoMs();
    const total = Math.round(o.seconds * o.rate);
    const first = nextAddress;
    nextAddress += total;
    const writes: Write[] = [];
    const inflight = new Set<Promise<void>>();
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / o.rate;
      const wait = due - monoMs();
      if (wait > 0) await sleep(wait);
      while (inflight.size >= 50) await Promise.race(inflight);
      const churned = env.fixture.workloads.slice(0, env.edsHosts.length * WORKLOADS_PER_SERVICE);
      const base = churned[k % churned.length];
      const address = fixtureAddress(first + k, 200);
      const p = env.cp.putWorkload({ ...base, address }).then(() => {
        writes.push({ k, workload: base.name, address, at: monoMs() });
      });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    await Promise.all(inflight);
    const writeSeconds = (monoMs() - start) / 1000;
    const lastAddress = fixtureAddress(first + total - 1, 200);
    const finalVersion = await waitFor(() => probe.endpointSnapshots.find((x) => x.addresses.has(lastAddress))?.version, { timeoutMs: o.settleTimeoutMs, intervalMs: 50, message: 'the last churn write never reached the probe' }).catch(() => undefined);
    if (finalVersion) {
      const deadline = Date.now() + o.settleTimeoutMs;
      while (Date.now() < deadline) {
        const { histories: h } = await pool.histories(TypeUrl.ClusterLoadAssignment, start);
        if (h.every((entries) => entries.some(([v]) => v === finalVersion))) break;
        await sleep(100);
      }
    }
    const elapsed = (monoMs() - start) / 1000;
    const cpuS = pilot.cpuSeconds() - cpu0;
    const m1 = await env.cp.metrics();
    const { histories, excluded } = await pool.histories(TypeUrl.ClusterLoadAssignment, start);
    return { ...analyse(writes, probe, histories), clients: histories.length, excludedClients: excluded, writes: writes.length, seconds: writeSeconds, rate: writes.length / writeSeconds, pilotCpuS: cpuS, pilotCpuUtilisation: cpuS / elapsed, pushes: (m1.pilot_xds_pushes_total ?? NaN) - (m0.pilot_xds_pushes_total ?? NaN) };
  } finally {
    probe.stop();
  }
}

function analyse(writes: Write[], probe: SimClient, histories: Array<Array<[string, number]>>): Pick<ChurnRaw, 'delayMs' | 'lastClientMs' | 'unconverged' | 'edsVersions'> {
  // Order of EDS versions as the probe received them; each write's first version holding it.
  const order = new Map<string, number>();
  probe.endpointSnapshots.forEach((x, i) => {
    if (!order.has(x.version)) order.set(x.version, i);
  });
  // A write is delivered by the first version holding it or any later write to the same workload
  // (state of the world carries only a workload's latest address).
  writes.sort((a, b) => a.k - b.k);
  const own = writes.map((w) => probe.endpointSnapshots.findIndex((x) => x.addresses.has(w.address)));
  const firstIdx = new Array<number>(writes.length).fill(-1);
  const laterBest = new Map<string, number>();
  for (let i = writes.length - 1; i >= 0; i--) {
    const cands = [own[i], laterBest.get(writes[i].workload) ?? -1].filter((x) => x >= 0);
    firstIdx[i] = cands.length ? Math.min(...cands) : -1;
    if (firstIdx[i] >= 0) laterBest.set(writes[i].workload, firstIdx[i]);
  }
  const delays: number[] = [];
  const lastPerWrite = new Array<number>(writes.length).fill(-Infinity);
  let unconverged = 0;
  for (const h of histories) {
    const acks = h.map(([v, at]) => ({ idx: order.get(v) ?? -1, at })).filter((x) => x.idx >= 0);
    writes.forEach((w, wi) => {
      const need = firstIdx[wi];
      const hit = need < 0 ? undefined : acks.find((a) => a.idx >= need);
      if (!hit) {
        unconverged++;
        lastPerWrite[wi] = Infinity;
        return;
      }
      const d = hit.at - w.at;
      delays.push(d);
      lastPerWrite[wi] = Math.max(lastPerWrite[wi], d);
    });
  }
  return { delayMs: summarize(delays), lastClientMs: summarize(lastPerWrite.filter((x) => Number.isFinite(x))), unconverged, edsVersions: order.size };
}
