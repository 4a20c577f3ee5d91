import type { Cleanup } from '../../common/cleanup';
import type { ScenarioResult } from '../../report/model';
import type { BenchSettings, Scenario } from '../scenario';
import { reportWorkers, runWorkers, setupWorkers } from './concurrency';
import { reportOverhead } from './report';
import { FIXED_CONNECTIONS, FIXED_RATE, FIXED_WARMUP_MS, SATURATION_CONNECTIONS, durations, runOverhead } from './run';
import { setupOverhead } from './setup';

export const sidecarOverhead: Scenario = {
  name: 'sidecar-overhead',
  title: 'Sidecar overhead (HTTP/1.1, 1 KB responses)',
  budgetMs: (s) => (s.quick ? 4 : 9) * 60_000,
  async run(s: BenchSettings, cleanup: Cleanup): Promise<ScenarioResult> {
    const started = Date.now();
    const env = await setupOverhead(s, cleanup);
    const overhead = await runOverhead(s, env, cleanup);
    const d = durations(s);
    // Then the worker-process comparison (proxy --concurrency 2 vs nginx worker_processes 2).
    s.log('  worker processes: a --concurrency 2 proxy and a 2-worker nginx');
    const workers = await runWorkers(s, env, await setupWorkers(env, cleanup), d);
    const raw = { ...overhead, workers };
    const main = reportOverhead(overhead);
    const extra = reportWorkers(workers, s.rounds);
    const headlines = [...main.headlines, ...extra.headlines];
    const tables = [...main.tables, ...extra.tables];
    return {
      name: this.name,
      title: this.title,
      status: raw.samples.some((x) => x.error) || workers.samples.some((x) => x.error) ? 'partial' : 'ok',
      durationS: (Date.now() - started) / 1000,
      method: [
        'Real processes on loopback (127.0.77.x): a node:http upstream returning 1024 bytes, nginx serving a static 1 KB file as a second upstream, nginx as a reverse proxy (1 worker, keep-alive upstream pool), and NATS + Galley + Pilot configuring two Mizzen sidecars (apps/proxy, one process each, access log off), plus a second pair with certificate agents (Citadel on the same NATS, TLS CSR port) talking auto mTLS (TLS 1.3, SPIFFE SANs checked) for the mTLS row.',
        `The mesh holds ${raw.fillerServices} filler services (one workload each, written to the mizzen-registry KV) besides the bench's own, so the sidecars carry a realistic route table (Istio's published figures use a 1000-service mesh).`,
        'One-proxy path: the client sidecar\'s outbound HTTP proxy listener (:15001, absolute-form requests) to a ServiceEntry (STATIC endpoint = the upstream). Mesh path: the same listener to `bench-mesh`, a service registered by the server sidecar, whose inbound listener forwards to the upstream. Plaintext (mTLS is not built yet).',
        `Fixed rate: the bench's own constant-rate client (wrk 4.1 from Debian has no -R): ${FIXED_RATE} rps over ${FIXED_CONNECTIONS} keep-alive connections for ${d.fixedS} s, latency counted from the moment each request fell due (requests that find every connection busy queue, and the wait counts). Each measured run follows ${FIXED_WARMUP_MS / 1000} s unmeasured at the same rate: a pair idle since its last row (the mTLS pair 30-70 s) may have had V8's memory reducer drop its optimised code, and the first ~1-2 s back re-optimise at several times the usual CPU per request.`,
        `Saturation: wrk -t1 -c${SATURATION_CONNECTIONS} for ${d.saturationS} s (a Lua script sets the absolute-form target for the proxy). wrk, the proxy and the upstream share the 2 cores.`,
        'HTTP/2 and gRPC unary: an h2c server and a gRPC server (raw 1 KB messages, `/bench.Bench/Get`) in one upstream process, behind ServiceEntries with HTTP2/GRPC ports and the server sidecar\'s http2/grpc inbound ports; the same constant-rate client over 4 h2c sessions or gRPC channels (one request in flight each), and for saturation the bench\'s closed loop (wrk speaks neither). No nginx baseline for these.',
        `CPU: utime+stime from /proc/<pid>/stat before/after each run, divided by the requests completed (CPU seconds per 1000 requests = vCPU per 1000 rps). Idle RSS: VmRSS after config and 40 s without traffic (by then V8's memory reducer has usually collected the config's garbage; after 20 s it often had not), before load, with its private part (smaps_rollup Private_Clean + Private_Dirty: without the node executable's and shared libraries' pages); peak: VmHWM at the end. Proxies run with PROXY_NODE_ARGS, as every launcher starts them.`,
        `${s.rounds} round(s); inside a round every path runs once (fixed rate, then saturation), so drift hits all paths alike. ${d.warmupS} s of saturation warm-up per path before round 1.`,
        `Worker processes: after the rounds above, a third Mizzen proxy started with --concurrency ${workers.workers} (cluster module, SCHED_NONE: the workers share each listening socket) and a second nginx with worker_processes ${workers.workers}; ${s.rounds} interleaved round(s) of wrk saturation over the one-proxy path to the node upstream for nginx and Mizzen at 1 and ${workers.workers} workers.`,
        ...raw.notes,
      ],
      headlines,
      tables,
      profiles: raw.profiles,
      errors: [
        ...raw.samples.filter((x) => x.error).map((x) => `round ${x.round} ${x.upstream} ${x.config}: ${x.error}`),
        ...workers.samples.filter((x) => x.error).map((x) => `round ${x.round} workers ${x.path}: ${x.error}`),
      ],
      raw,
    };
  },
};
