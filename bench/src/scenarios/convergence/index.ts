import type { Cleanup } from '../../common/cleanup';
import type { ScenarioResult } from '../../report/model';
import type { BenchSettings, Scenario } from '../scenario';
import { reportConvergence } from './report';
import { plan, runConvergence } from './run';
import { REGISTRY_SERVICES, WORKLOADS_PER_SERVICE, setupConvergence } from './setup';

export const convergence: Scenario = {
  name: 'convergence',
  title: 'Control-plane convergence (one Pilot, N simulated xDS clients, 1000 services)',
  budgetMs: (s) => (s.quick ? 3 : 9) * 60_000,
  async run(s: BenchSettings, cleanup: Cleanup): Promise<ScenarioResult> {
    const started = Date.now();
    const env = await setupConvergence(s, cleanup);
    const raw = await runConvergence(s, env, cleanup);
    const { headlines, tables } = reportConvergence(raw);
    const p = plan(s);
    return {
      name: this.name,
      title: this.title,
      status: raw.phases.some((x) => x.error) ? 'partial' : 'ok',
      durationS: (Date.now() - started) / 1000,
      method: [
        `Real NATS + Galley + Pilot processes. Registry: ${REGISTRY_SERVICES} services with ${WORKLOADS_PER_SERVICE} workloads each written to the mizzen-registry KV (loaded and visible in Pilot in ${raw.registryLoadSeconds.toFixed(1)} s).`,
        `Clients: ${p.clientCounts.join(', ')} simulated sidecars (node ids from formatNodeId, namespace default, no inbound ports) in 1-2 worker processes, each with its own HTTP/2 connection (Envoy's 256 MiB xDS windows) and one ADS stream: gRPC's wire protocol spoken directly on node:http2, requests in @mizzen/xds-codec's encoding. Like Envoy they subscribe wildcard CDS, then EDS for every EDS cluster CDS lists, wildcard LDS, then RDS http_proxy, and ACK every response. They read responses as they stream in: the envelope, and the bodies of clusters and endpoints only (the fields needed to continue); listener and route bodies are skipped unread, so the clients, which stand in for Envoys on other machines, take as little of the 2 shared cores as possible.`,
        `Apply: a VirtualService for svc-0000 (a new route timeout each round) sent as Galley's apply request (GalleyApply over NATS); the clock starts when the reply arrives, and each client's time is its ACK of the first RDS version differing from the one it held before. ${s.rounds} round(s) per client count. Pilot CPU from /proc, push counts and push wall time from Pilot's /metrics.`,
        `Churn: ${p.churnRate} workload changes/s for ${p.churnSeconds} s (each moves a workload to a new unique address) at ${p.churnFor.join(' and ')} clients; a probe client reads endpoint addresses from EDS to tell which version holds each write.`,
        'Memory: Pilot RSS (VmRSS) with N clients synced minus RSS with the registry loaded and no client, divided by N.',
      ],
      headlines,
      tables,
      profiles: raw.profiles,
      errors: raw.phases.filter((x) => x.error).map((x) => `${x.clients} clients: ${x.error}`),
      raw,
    };
  },
};
