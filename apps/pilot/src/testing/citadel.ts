import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bus } from '@mizzen/bus';
import { CitadelSign, TrustBucket } from '@mizzen/contracts';
import { createCsr, exportPrivateKeyPem, generateKeyPair } from '@mizzen/pki';
import { freePort, type RunningProcess, spawnProcess } from '@mizzen/testkit';

/** Citadel's built entry point (`npx tsc -b apps/citadel`). */
export const CITADEL_MAIN = path.resolve(__dirname, '../../../citadel/dist/main.js');

/** A real Citadel process on `natsUrl` with a fresh CA directory; `roots` is the published trust bundle (PEM). */
export async function startCitadel(natsUrl: string, bus: Bus): Promise<{ process: RunningProcess; roots: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-citadel-'));
  const proc = await spawnProcess(process.execPath, [CITADEL_MAIN, '--nats', natsUrl, '--ca-dir', path.join(dir, 'ca'), '--grpc-port', String(await freePort())], { name: 'citadel', readyLine: /^citadel ready$/ });
  const bundle = TrustBucket.value((await (await bus.openKv(TrustBucket.name)).get(TrustBucket.bundleKey))?.value);
  if (!bundle.ok) throw new Error('no trust bundle');
  return {
    process: proc,
    roots: bundle.value.roots.map((r) => r.pem).join('\n'),
    stop: async () => {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client certificate for `uri` (a control-plane-namespace SPIFFE ID), signed over NATS as Pilot's own is. */
export async function controlPlaneCert(bus: Bus, uri: string): Promise<{ chain: string; key: string }> {
  const key = await generateKeyPair();
  const reply = await bus.request(CitadelSign, { csr: await createCsr(key, { uris: [uri] }), requester: 'pilot-test' });
  return { chain: reply.certChain.slice(0, -1).join(''), key: await exportPrivateKeyPem(key) };
}
