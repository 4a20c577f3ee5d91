import { Cleanup } from '../../common/cleanup';
import { type ProfileSummary, summarizeProfile } from '../../common/profiling/summarize-profile';
import type { ScenarioResult } from '../../report/model';
import type { BenchSettings, Scenario } from '../scenario';
import { reportCitadel } from './report';
import { CONCURRENCY, type SignRun, runSeconds, signLoop } from './run';
import { type CitadelEnv, citadelPresent, makeCsrs, setupCitadel } from './setup';

const SPIFFE_ID = 'spiffe://cluster.local/ns/default/sa/bench';
/** CA key -> CSR keys measured with it (Istio's default is RSA-2048 throughout). */
const MATRIX: Array<[CitadelEnv['caKey'], Array<'ECDSA-P256' | 'RSA-2048'>]> = [
  ['ecdsa-p256', ['ECDSA-P256', 'RSA-2048']],
  ['rsa-2048', ['RSA-2048']],
];

export const citadel: Scenario = {
  name: 'citadel',
  title: 'Citadel (signed CSRs per second)',
  budgetMs: (s) => (s.quick ? 2 : 3) * 60_000,
  async run(s: BenchSettings, cleanup: Cleanup): Promise<ScenarioResult> {
    const started = Date.now();
    const base = { name: this.name, title: this.title, headlines: [], tables: [], profiles: [], errors: [], raw: null };
    if (!citadelPresent()) return { ...base, status: 'not present', durationS: 0, method: ['apps/citadel/dist/main.js is not built yet: not present yet.'] };
    const csrs = await makeCsrs(SPIFFE_ID, 8);
    const runs: SignRun[] = [];
    const profiles: Array<{ what: string; summary: ProfileSummary }> = [];
    for (const [caKey, csrKeys] of MATRIX) {
      // One Citadel per CA key type, stopped before the next starts.
      const local = new Cleanup();
      cleanup.add(`citadel ${caKey}`, () => local.close());
      try {
        const env = await setupCitadel(local, caKey, csrs);
        await signLoop(env, csrKeys[0], 4, 1, 0); // warm-up
        for (let r = 1; r <= s.rounds; r++) {
          for (const csrKey of csrKeys) {
            for (const c of CONCURRENCY) {
              const run = await signLoop(env, csrKey, c, runSeconds(s), r);
              runs.push(run);
              s.log(`  round ${r} CA ${caKey} CSR ${csrKey} c=${c}: ${run.perSecond.toFixed(0)} CSR/s, p50 ${run.latencyMs.p50.toFixed(1)} ms, ${run.errors} errors${run.firstError ? ` (${run.firstError})` : ''}`);
            }
          }
        }
        if (s.profile) {
          const stop = await env.citadel.profile();
          await signLoop(env, csrKeys[0], 16, 3, 0);
          const file = await stop();
          if (file) profiles.push({ what: `Citadel (${caKey} CA) signing ${csrKeys[0]} CSRs at concurrency 16`, summary: summarizeProfile(file) });
        }
      } finally {
        await local.close();
      }
    }
    const { headlines, tables } = reportCitadel(runs);
    return {
      ...base,
      status: runs.some((r) => r.errors) ? 'partial' : 'ok',
      durationS: (Date.now() - started) / 1000,
      method: [
        "A real Citadel process per CA key type (`--ca-key-algorithm ecdsa-p256` and `rsa-2048`, self-signed root + intermediate in a fresh directory) on NATS; a bootstrap token for spiffe://cluster.local/ns/default/sa/bench from `mizzen.citadel.token.v1`; then `IstioCertificateService/CreateCertificate` over gRPC (TLS on loopback with Citadel's own certificate, verified against the root; one HTTP/2 connection) as a proxy's agent calls it.",
        `Closed loop for ${runSeconds(s)} s at concurrency 1 and 16; CSRs made in advance (8 keys per type, reused, since RSA keygen dominates otherwise) so only Citadel's work is timed: token check, CSR parse and signature check, SAN authorization, signing (@peculiar/x509 on WebCrypto). Citadel CPU from /proc.`,
        `${s.rounds} round(s).`,
      ],
      headlines,
      tables,
      profiles,
      errors: [...new Set(runs.filter((r) => r.firstError).map((r) => `${r.caKey}/${r.csrKey}/c${r.concurrency}: ${r.firstError}`))],
      raw: runs,
    };
  },
};
