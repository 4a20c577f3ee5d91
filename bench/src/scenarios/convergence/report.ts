import { overRounds } from '../../common/stats';
import { fmtNum, fmtStat, single } from '../../report/format';
import { type Headline, type Table, TARGETS, headline } from '../../report/model';
import type { ConvergenceRaw, PhaseRaw } from './run';

const perClientMb = (raw: ConvergenceRaw, p: PhaseRaw): number => (p.pilotRssWithClientsMb - raw.pilotIdleRssMb) / Math.max(1, p.connected);

export function reportConvergence(raw: ConvergenceRaw): { headlines: Headline[]; tables: Table[] } {
  const cost: Table = {
    title: 'Pilot CPU for one client\'s initial sync, by EDS subscription (5 clients each)',
    columns: ['EDS subscription', 'Pilot CPU per client (s)', 'wall time for the 5 (s)'],
    rows: raw.syncCost.map((c) => [c.eds, fmtNum(c.pilotCpuPerClientS, 3), fmtNum(c.seconds, 1)]),
  };
  const sync: Table = {
    title: 'Connecting N simulated sidecars (each its own TCP connection and ADS stream; CDS + EDS + LDS + RDS)',
    columns: ['clients', 'connected', 'synced', 'time to sync all, or the window (s)', 'syncs/s', 'Pilot CPU for the initial sync (s)', 'Pilot RSS idle -> with clients (MB)', 'Pilot RSS per client (MB)', 'errors'],
    rows: raw.phases.map((p) => [
      p.clients,
      p.connected,
      p.synced,
      fmtNum(p.syncSeconds, 1),
      fmtNum(p.synced / p.syncSeconds, 1),
      fmtNum(p.syncPilotCpuS, 1),
      `${fmtNum(raw.pilotIdleRssMb, 0)} -> ${fmtNum(p.pilotRssWithClientsMb, 0)}`,
      fmtNum(perClientMb(raw, p), 3),
      [...p.syncErrors, p.error ?? ''].filter(Boolean).join('; ').slice(0, 200),
    ]),
    notes: ['Pilot RSS per client = (RSS with the clients connected - RSS with the registry loaded and no client) / clients connected.'],
  };
  const apply: Table = {
    title: "VirtualService apply -> every client ACKed the new RDS version (ms from Galley's apply reply; median over rounds, min–max)",
    columns: ['clients', 'p50', 'p99', 'max (last client)', 'clients not converged', 'pushes', 'Pilot CPU per push (s)', 'client workers CPU (s)', 'last push, wall (ms)'],
    rows: raw.phases
      .filter((p) => p.apply.length)
      .map((p) => [
        p.clients,
        fmtStat(overRounds(p.apply.map((a) => a.delayMs.p50)), 0),
        fmtStat(overRounds(p.apply.map((a) => a.delayMs.p99)), 0),
        fmtStat(overRounds(p.apply.map((a) => a.delayMs.max)), 0),
        fmtStat(overRounds(p.apply.map((a) => a.unchanged)), 0),
        fmtStat(overRounds(p.apply.map((a) => a.pushes)), 0),
        fmtStat(overRounds(p.apply.map((a) => a.pilotCpuS / Math.max(1, a.pushes))), 2),
        fmtStat(overRounds(p.apply.map((a) => a.clientsCpuS ?? NaN)), 2),
        fmtStat(overRounds(p.apply.map((a) => a.lastPushMs)), 0),
      ]),
    notes: [
      'Pilot debounces config events (100 ms quiet, 10 s max), so the floor of every figure here is ~100 ms.',
      "Client workers CPU: the simulated sidecars' worker processes from the apply to the last ACK (receiving and framing the responses); they share the 2 cores with Pilot. Last push, wall: Pilot's push time from the snapshot update until its push queue ran empty.",
    ],
  };
  const churnPhases = raw.phases.filter((p) => p.churn);
  const churn: Table = {
    title: 'Endpoint churn: workload records rewritten in KV at 50/s (ms from the KV write to the client ACKing an EDS version that holds it)',
    columns: ['clients', 'writes (rate/s)', 'per client and write p50', 'p99', 'last client per write p50', 'p99', 'max', '(client, write) pairs not converged', 'EDS versions pushed', 'Pilot CPU busy'],
    rows: churnPhases.map((p) => {
      const c = p.churn as NonNullable<PhaseRaw['churn']>;
      return [
        p.clients,
        `${c.writes} (${fmtNum(c.rate, 1)})`,
        fmtNum(c.delayMs.p50, 0),
        fmtNum(c.delayMs.p99, 0),
        fmtNum(c.lastClientMs.p50, 0),
        fmtNum(c.lastClientMs.p99, 0),
        fmtNum(c.lastClientMs.max, 0),
        c.unconverged,
        c.edsVersions,
        `${fmtNum(100 * c.pilotCpuUtilisation, 0)}%`,
      ];
    }),
    notes: [
      'A steady stream of changes never leaves the 100 ms quiet period, so Pilot pushes at the debounce maximum: 500 ms for batches holding only endpoint changes (--eds-debounce-max-ms; config changes keep 10 s), so per-write delays of up to ~0.5 s are the debounce policy.',
      'The 20 workloads of the 10 EDS-subscribed services are rewritten in turn, so most writes are superseded before a push (state of the world carries only the latest address): a write counts as delivered when the client ACKs a version holding it or a later write to the same workload.',
    ],
  };

  const at = (n: number) => raw.phases.find((p) => p.clients === n);
  const p1000 = at(1000) ?? raw.phases[raw.phases.length - 1];
  // The largest phase whose clients all synced (partly synced clients hold less state in Pilot).
  const measured = raw.phases.filter((p) => p.connected > 0 && Number.isFinite(p.pilotRssWithClientsMb));
  const largest = [...measured].reverse().find((p) => p.synced === p.clients) ?? measured[measured.length - 1];
  const maxClients = Math.max(...raw.phases.map((p) => p.clients));
  const served = at(5000);
  const headlines: Headline[] = [
    headline(
      'convergence.apply_p99',
      `Convergence after apply, ${p1000?.clients ?? '?'} clients, p99`,
      'ms',
      p1000 ? overRounds(p1000.apply.map((a) => (a.unchanged ? Infinity : a.delayMs.p99))) : single(NaN),
      TARGETS.convergence1000P99,
      p1000?.apply.some((a) => a.unchanged) ? 'some clients never converged' : undefined,
    ),
    headline(
      'convergence.clients_served',
      served ? `Clients with their initial config from one Pilot (5000 connected, ${served.syncSeconds.toFixed(0)} s window)` : `Clients served by one Pilot (largest run: ${maxClients})`,
      'clients',
      single(served ? served.synced : NaN),
      TARGETS.clientsServed,
      served ? undefined : 'the 5000-client phase did not run',
    ),
    headline('convergence.memory_per_client', `Pilot memory per connected client (at ${largest?.connected ?? '?'} synced clients)`, 'MB', single(largest ? perClientMb(raw, largest) : NaN), TARGETS.pilotMemPerClient),
  ];
  const churn1000 = at(1000)?.churn ?? churnPhases[churnPhases.length - 1]?.churn;
  if (churn1000) {
    headlines.push(
      headline('convergence.churn_p99', `Endpoint churn 50/s, ${(at(1000)?.churn ? 1000 : churnPhases[churnPhases.length - 1]?.clients) ?? '?'} clients: write -> client ACK, p99`, 'ms', single(churn1000.delayMs.p99), {
        ...TARGETS.convergence1000P99,
        anchor: 'the apply-convergence target (< 1 s), applied to endpoint churn',
      }),
    );
  }
  return { headlines, tables: [cost, sync, apply, ...(churnPhases.length ? [churn] : [])] };
}
