import { type RoundStat, overRounds } from '../../common/stats';
import { fmtNum, fmtStat, single } from '../../report/format';
import { type Headline, type Table, TARGETS, headline } from '../../report/model';
import type { LatencySummary } from '../../common/stats';
import { FIXED_CONNECTIONS, FIXED_RATE, H2_LABEL, H2_SATURATION, type OverheadRaw, SATURATION_CONNECTIONS, type Sample } from './run';
import type { ConfigName } from './setup';

type Pct = keyof Pick<LatencySummary, 'p50' | 'p90' | 'p99'>;

const LABEL: Record<ConfigName, string> = {
  direct: 'client -> upstream (direct)',
  nginx: 'client -> nginx -> upstream',
  'mizzen-1-proxy': 'client -> Mizzen proxy -> upstream',
  'mizzen-2-sidecars': 'client -> sidecar -> sidecar -> upstream',
  'mizzen-2-sidecars-mtls': 'client -> sidecar =mTLS=> sidecar -> upstream',
};

/** Which processes do proxy work on each path. */
const PROXIES: Record<ConfigName, string[]> = {
  direct: [],
  nginx: ['nginx-proxy'],
  'mizzen-1-proxy': ['sidecar-client'],
  'mizzen-2-sidecars': ['sidecar-client', 'sidecar-server'],
  'mizzen-2-sidecars-mtls': ['sidecar-client-mtls', 'sidecar-server-mtls'],
};

class Rounds {
  constructor(private readonly raw: OverheadRaw) {}

  private pick(upstream: string, config: ConfigName): Array<Sample | undefined> {
    return Array.from({ length: this.raw.rounds }, (_, i) => this.raw.samples.find((s) => s.round === i + 1 && s.upstream === upstream && s.config === config));
  }

  stat(upstream: string, config: ConfigName, f: (s: Sample) => number | undefined): RoundStat {
    return overRounds(this.pick(upstream, config).map((s) => (s ? (f(s) ?? NaN) : NaN)));
  }

  /** Per round `f(a) op f(b)`, then median over rounds. */
  paired(upstream: string, a: ConfigName, b: ConfigName, f: (s: Sample) => number | undefined, op: (x: number, y: number) => number): RoundStat {
    const as = this.pick(upstream, a);
    const bs = this.pick(upstream, b);
    return overRounds(as.map((x, i) => (x && bs[i] ? op(f(x) ?? NaN, f(bs[i] as Sample) ?? NaN) : NaN)));
  }
}

const lat = (p: Pct) => (s: Sample) => s.fixed?.latencyMs[p];
const sat = (s: Sample) => s.saturation?.requestsPerSec;
const minus = (x: number, y: number) => x - y;
const div = (x: number, y: number) => x / y;

export function reportOverhead(raw: OverheadRaw): { headlines: Headline[]; tables: Table[] } {
  const r = new Rounds(raw);
  const upstreams = [...new Set(raw.samples.map((s) => s.upstream))];
  const configs = [...new Set(raw.samples.map((s) => s.config))];
  const hasNginx = configs.includes('nginx');

  const latency: Table = {
    title: `Latency at a constant ${FIXED_RATE} rps over ${FIXED_CONNECTIONS} connections (ms; median over rounds, min–max in brackets)`,
    columns: ['upstream', 'path', 'p50', 'p90', 'p99', 'added p50', 'added p90', 'added p99', 'achieved rps', 'errors + non-2xx'],
    rows: [],
    notes: ['"added" is the path\'s percentile minus the direct path\'s percentile in the same round, then the median over rounds.'],
  };
  const saturation: Table = {
    title: `Saturation (requests/s): HTTP/1.1 with wrk, 1 thread, ${SATURATION_CONNECTIONS} connections; HTTP/2 and gRPC with the bench's closed loop, ${H2_SATURATION.concurrency} streams over ${H2_SATURATION.connections} connections`,
    columns: ['upstream', 'path', 'req/s', hasNginx ? 'x nginx' : 'x nginx (n/a)', 'x direct', 'errors + non-2xx'],
    rows: [],
    notes: ['The load generator, the proxies and the upstream share the 2 cores: saturation is "what the whole box does", and the proxy\'s share of the CPU decides it.'],
  };
  const cpu: Table = {
    title: 'Proxy CPU: CPU seconds per 1000 requests (= vCPU used per 1000 rps)',
    columns: ['upstream', 'path', 'process', `at ${FIXED_RATE} rps`, 'at saturation'],
    rows: [],
  };
  for (const u of upstreams) {
    for (const c of configs) {
      if (!raw.samples.some((x) => x.upstream === u && x.config === c)) continue;
      const errs = r.stat(u, c, (s) => (s.fixed ? s.fixed.errors + s.fixed.non2xx + s.fixed.abandoned : NaN) + (s.saturation ? s.saturation.non2xx + s.saturation.socketErrors : 0));
      latency.rows.push([
        u,
        LABEL[c],
        fmtStat(r.stat(u, c, lat('p50'))),
        fmtStat(r.stat(u, c, lat('p90'))),
        fmtStat(r.stat(u, c, lat('p99'))),
        c === 'direct' ? '' : fmtStat(r.paired(u, c, 'direct', lat('p50'), minus)),
        c === 'direct' ? '' : fmtStat(r.paired(u, c, 'direct', lat('p90'), minus)),
        c === 'direct' ? '' : fmtStat(r.paired(u, c, 'direct', lat('p99'), minus)),
        fmtStat(r.stat(u, c, (s) => s.fixed?.achievedRate), 0),
        fmtStat(errs, 0),
      ]);
      saturation.rows.push([
        u,
        LABEL[c],
        fmtStat(r.stat(u, c, sat), 0),
        configs.includes('nginx') && c !== 'nginx' && raw.samples.some((x) => x.upstream === u && x.config === 'nginx') ? fmtStat(r.paired(u, c, 'nginx', sat, div)) : '',
        c === 'direct' ? '' : fmtStat(r.paired(u, c, 'direct', sat, div)),
        fmtStat(r.stat(u, c, (s) => (s.saturation ? s.saturation.non2xx + s.saturation.socketErrors : NaN)), 0),
      ]);
      for (const p of PROXIES[c]) {
        cpu.rows.push([u, LABEL[c], p, fmtStat(r.stat(u, c, (s) => s.fixed?.cpuPer1000[p]), 3), fmtStat(r.stat(u, c, (s) => s.saturation?.cpuPer1000[p]), 3)]);
      }
    }
  }
  const memory: Table = {
    title: `Proxy memory (MB; mesh with ${raw.fillerServices} filler services + the bench's own)`,
    columns: ['process', 'idle RSS (after config, 40+ s without traffic, before load)', 'of it private (not shared with other processes)', 'peak RSS (VmHWM, end of scenario)', 'idle CPU (vCPU, 3 s before load)'],
    rows: Object.keys(raw.idleRssMb).map((p) => [p, fmtNum(raw.idleRssMb[p], 1), fmtNum(raw.idlePrivateMb?.[p] ?? NaN, 1), fmtNum(raw.peakRssMb[p] ?? NaN, 1), fmtNum(raw.idleCpu?.[p] ?? NaN, 3)]),
  };
  const protocols: Table = {
    title: 'HTTP/2 and gRPC unary through the proxy',
    columns: ['protocol', 'status'],
    rows: Object.values(H2_LABEL).map((label) => [label, raw.h2Measured.includes(label) ? 'measured: rows in the tables above (no nginx baseline)' : 'not supported yet (see the notes above)']),
  };

  const node = 'node';
  const meanSidecarCpu = r.stat(node, 'mizzen-2-sidecars', (s) => s.fixed && (s.fixed.cpuPer1000['sidecar-client'] + s.fixed.cpuPer1000['sidecar-server']) / 2);
  const idleRss = Math.max(...Object.entries(raw.idleRssMb).filter(([k]) => k.startsWith('sidecar')).map(([, v]) => v));
  const headlines: Headline[] = [
    headline('overhead.added_p90', 'Two-sidecar added latency p90 at 1000 rps (node upstream)', 'ms', r.paired(node, 'mizzen-2-sidecars', 'direct', lat('p90'), minus), TARGETS.addedP90),
    headline('overhead.added_p99', 'Two-sidecar added latency p99 at 1000 rps (node upstream)', 'ms', r.paired(node, 'mizzen-2-sidecars', 'direct', lat('p99'), minus), TARGETS.addedP99),
    headline('overhead.mtls.added_p90', 'Two-sidecar added latency p90 at 1000 rps with mTLS (auto mTLS, Citadel certificates; node upstream)', 'ms', r.paired(node, 'mizzen-2-sidecars-mtls', 'direct', lat('p90'), minus), TARGETS.addedP90),
    headline('overhead.mtls.added_p99', 'Two-sidecar added latency p99 at 1000 rps with mTLS (node upstream)', 'ms', r.paired(node, 'mizzen-2-sidecars-mtls', 'direct', lat('p99'), minus), TARGETS.addedP99),
    headline('overhead.mtls.sidecar_cpu', 'Sidecar CPU per 1000 rps with mTLS (mean of the two sidecars)', 'vCPU', r.stat(node, 'mizzen-2-sidecars-mtls', (s) => s.fixed && (s.fixed.cpuPer1000['sidecar-client-mtls'] + s.fixed.cpuPer1000['sidecar-server-mtls']) / 2), TARGETS.proxyCpu),
    headline('overhead.sidecar_cpu', 'Sidecar CPU per 1000 rps (mean of the two sidecars on the mesh path)', 'vCPU', meanSidecarCpu, TARGETS.proxyCpu),
    headline('overhead.one_proxy_cpu', 'One proxy CPU per 1000 rps (one-proxy path)', 'vCPU', r.stat(node, 'mizzen-1-proxy', (s) => s.fixed?.cpuPer1000['sidecar-client']), TARGETS.proxyCpu),
    headline('overhead.idle_rss', `Sidecar idle RSS (largest of the two; ${raw.fillerServices}-service mesh)`, 'MB', single(idleRss), TARGETS.proxyIdleRss),
    headline(
      'overhead.saturation_vs_nginx',
      'One proxy saturation throughput vs nginx, both 1 worker (node upstream)',
      'x',
      hasNginx ? r.paired(node, 'mizzen-1-proxy', 'nginx', sat, div) : single(NaN),
      TARGETS.saturationVsNginx,
      hasNginx ? undefined : 'nginx not available',
    ),
  ];
  for (const label of Object.values(H2_LABEL)) {
    const measured = raw.h2Measured.includes(label);
    const note = measured ? undefined : 'not supported yet';
    headlines.push(
      headline(`overhead.${label}.added_p90`, `${label}: two-sidecar added latency p90 at 1000 rps`, 'ms', measured ? r.paired(label, 'mizzen-2-sidecars', 'direct', lat('p90'), minus) : single(NaN), TARGETS.addedP90, note),
      headline(`overhead.${label}.added_p99`, `${label}: two-sidecar added latency p99 at 1000 rps`, 'ms', measured ? r.paired(label, 'mizzen-2-sidecars', 'direct', lat('p99'), minus) : single(NaN), TARGETS.addedP99, note),
    );
  }
  return { headlines, tables: [latency, saturation, cpu, memory, protocols] };
}
