import type { KeyAlgorithmName } from '@mizzen/pki';
import { monoMs } from '../../common/cleanup';
import { cpuMeter } from '../../common/proc-stats';
import { type LatencySummary, summarize } from '../../common/stats';
import type { BenchSettings } from '../scenario';
import type { CitadelEnv } from './setup';

export const CONCURRENCY = [1, 16] as const;

export interface SignRun {
  round: number;
  caKey: string;
  csrKey: KeyAlgorithmName;
  concurrency: number;
  seconds: number;
  signed: number;
  errors: number;
  firstError?: string;
  perSecond: number;
  latencyMs: LatencySummary;
  /** Citadel CPU seconds per signed certificate. */
  cpuPerCsrMs: number;
}

export const runSeconds = (s: BenchSettings): number => (s.quick ? 1 : 2);

/** Closed loop: `concurrency` callers each sending the next CSR as soon as the last is answered. */
export async function signLoop(env: CitadelEnv, csrKey: KeyAlgorithmName, concurrency: number, seconds: number, round: number): Promise<SignRun> {
  const csrs = env.csrs[csrKey];
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const meter = cpuMeter(env.citadel.group());
  const t0 = monoMs();
  const end = t0 + seconds * 1000;
  const maxRequests = 200_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (monoMs() < end && latencies.length + errors < maxRequests) {
        const t = monoMs();
        try {
          await env.client.createCertificate(csrs[next++ % csrs.length]);
          latencies.push(monoMs() - t);
        } catch (e) {
          errors++;
          firstError ??= (e as Error).message;
        }
      }
    }),
  );
  const elapsed = (monoMs() - t0) / 1000;
  const cpu = meter.stop();
  return { round, caKey: env.caKey, csrKey, concurrency, seconds: elapsed, signed: latencies.length, errors, firstError, perSecond: latencies.length / elapsed, latencyMs: summarize(latencies), cpuPerCsrMs: latencies.length ? (1000 * cpu) / latencies.length : NaN };
}
