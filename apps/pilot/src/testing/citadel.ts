import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { CitadelSign, TrustBucket } from '@mizzen/contracts';
import { createCsr, exportPrivateKeyPem, generateKeyPair } from '@mizzen/pki';
import { freePort, type NatsServer, type RunningProcess, spawnProcess, startNats } from '@mizzen/testkit';
import { parseOptions } from '../options';
import { PilotService } from '../pilot.service';

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

/** A real NATS, Citadel process and in-process Pilot with its mutual-TLS port, as a mesh runs them. */
export interface SecurePilot {
  nats: NatsServer;
  bus: Bus;
  pilot: PilotService;
  /** The mesh trust bundle (PEM) the secure port's client certificates must chain to. */
  roots: string;
  stop(): Promise<void>;
}

/** Starts {@link SecurePilot}; `seed` runs against the bus before Pilot starts (KV contents). */
export async function startSecurePilot(o: { id: string; log?: (m: string) => void; seed?: (bus: Bus) => Promise<void> }): Promise<SecurePilot> {
  const nats = await startNats();
  const bus = await Bus.connect({ url: nats.url });
  const citadel = await startCitadel(nats.url, bus);
  await o.seed?.(bus);
  const pilot = new PilotService(parseOptions(['--nats', nats.url, '--grpc-port', '0', '--secure-grpc-port', String(await freePort()), '--debug-port', '0', '--id', o.id], {}), bus, o.log ?? (() => {}));
  await pilot.start();
  return {
    nats,
    bus,
    pilot,
    roots: citadel.roots,
    stop: async () => {
      await pilot.stop();
      await bus.close();
      await citadel.stop();
      await nats.stop();
    },
  };
}
