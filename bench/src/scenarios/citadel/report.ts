import { overRounds } from '../../common/stats';
import { fmtStat } from '../../report/format';
import { type Headline, type Table, headline } from '../../report/model';
import type { SignRun } from './run';

export function reportCitadel(runs: SignRun[]): { headlines: Headline[]; tables: Table[] } {
  const keys = [...new Set(runs.map((r) => `${r.caKey}|${r.csrKey}|${r.concurrency}`))];
  const table: Table = {
    title: "Signed workload certificates through Citadel's CreateCertificate (gRPC, closed loop; median over rounds, min–max)",
    columns: ['CA key', 'CSR key', 'concurrency', 'CSRs/s', 'latency p50 (ms)', 'latency p99 (ms)', 'Citadel CPU per CSR (ms)', 'errors'],
    rows: keys.map((k) => {
      const rs = runs.filter((r) => `${r.caKey}|${r.csrKey}|${r.concurrency}` === k);
      const st = (f: (r: SignRun) => number) => overRounds(rs.map(f));
      const [caKey, csrKey, c] = k.split('|');
      return [caKey, csrKey, c, fmtStat(st((r) => r.perSecond), 0), fmtStat(st((r) => r.latencyMs.p50)), fmtStat(st((r) => r.latencyMs.p99)), fmtStat(st((r) => r.cpuPerCsrMs)), fmtStat(st((r) => r.errors), 0)];
    }),
  };
  const pick = (caKey: string, csrKey: string, c: number) => overRounds(runs.filter((r) => r.caKey === caKey && r.csrKey === csrKey && r.concurrency === c).map((r) => r.perSecond));
  const headlines: Headline[] = [
    headline('citadel.p256_c16', 'Citadel CSRs/s, P-256 CSR, P-256 CA, concurrency 16', 'CSR/s', pick('ecdsa-p256', 'ECDSA-P256', 16), undefined, 'no target in issue 5'),
    headline('citadel.rsa_c16', 'Citadel CSRs/s, RSA-2048 CSR, RSA-2048 CA, concurrency 16', 'CSR/s', pick('rsa-2048', 'RSA-2048', 16), undefined, 'no target in issue 5'),
  ];
  return { headlines, tables: [table] };
}
