import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { CitadelToken } from '@mizzen/contracts';
import { type KeyAlgorithmName, createCsr, generateKeyPair } from '@mizzen/pki';
import { freePort, startNats } from '@mizzen/testkit';
import type { Cleanup } from '../../common/cleanup';
import { appMain } from '../../common/paths';
import { type BenchProcess, startNodeProcess } from '../../common/processes';
import { CaClient } from './ca-client';

export interface CitadelEnv {
  citadel: BenchProcess;
  caKey: 'ecdsa-p256' | 'rsa-2048';
  client: CaClient;
  /** Pre-made CSRs for `spiffe://cluster.local/ns/default/sa/bench`, per workload key type. */
  csrs: Record<KeyAlgorithmName, string[]>;
}

/** Whether Citadel is built (the scenario reports "not present yet" otherwise). */
export const citadelPresent = (): boolean => {
  try {
    return fs.statSync(appMain('citadel')).size > 200;
  } catch {
    return false;
  }
};

/** CSRs for the bench identity; RSA keys are slow to make, so a few are made and reused. */
export async function makeCsrs(spiffeId: string, perType: number): Promise<Record<KeyAlgorithmName, string[]>> {
  const out: Record<KeyAlgorithmName, string[]> = { 'ECDSA-P256': [], 'RSA-2048': [] };
  for (const alg of Object.keys(out) as KeyAlgorithmName[]) {
    for (let i = 0; i < perType; i++) out[alg].push(await createCsr(await generateKeyPair(alg), { uris: [spiffeId] }));
  }
  return out;
}

/**
 * NATS and one Citadel process with a CA of the given key type in a fresh directory; a bootstrap
 * token for the bench identity (CitadelToken over NATS, as meshctl gets one for a workload).
 */
export async function setupCitadel(cleanup: Cleanup, caKey: CitadelEnv['caKey'], csrs: CitadelEnv['csrs']): Promise<CitadelEnv> {
  const nats = await startNats();
  cleanup.add('nats-server', () => nats.stop());
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-citadel-'));
  cleanup.add('citadel CA dir', () => fs.rmSync(caDir, { recursive: true, force: true }));
  const port = await freePort();
  const citadel = await startNodeProcess(cleanup, {
    name: `citadel-${caKey}`,
    script: appMain('citadel'),
    args: ['--nats', nats.url, '--ca-dir', caDir, '--grpc-port', String(port), '--ca-key-algorithm', caKey, '--log-level', 'warn'],
    readyLine: /citadel ready/,
    readyTimeoutMs: 60_000,
    profilable: true,
  });
  const bus = await Bus.connect({ url: nats.url, name: 'bench' });
  cleanup.add('bench bus', () => bus.close());
  const { token } = await bus.request(CitadelToken, { namespace: 'default', serviceAccount: 'bench', requester: 'bench', ttlSeconds: 3600 }, { timeoutMs: 10_000 });
  const client = new CaClient(`127.0.0.1:${port}`, token, fs.readFileSync(path.join(caDir, 'root-cert.pem'), 'utf8'));
  cleanup.add('CA client', () => client.close());
  return { citadel, caKey, client, csrs };
}
