import { Bus, type KvStore } from '@mizzen/bus';
import { ConfigBucket, RegistryBucket } from '@mizzen/contracts';
import { type NatsServer, startNats } from '@mizzen/testkit';
import { type RunningGalley, startGalley } from '../galley';
import type { GalleyConfig } from '../platform/galley-config';

/** A real nats-server, Galley booted in-process on it, and a client bus with both buckets. */
export interface GalleyHarness {
  nats: NatsServer;
  galley: RunningGalley;
  client: Bus;
  configKv: KvStore;
  registryKv: KvStore;
  stop(): Promise<void>;
}

export async function startGalleyHarness(over: Partial<GalleyConfig> = {}): Promise<GalleyHarness> {
  const nats = await startNats();
  const verbose = Boolean(process.env.MIZZEN_TEST_VERBOSE);
  let galley: RunningGalley | undefined;
  let client: Bus | undefined;
  try {
    galley = await startGalley({ natsUrl: nats.url, gracePeriodMs: 30_000, logLevel: 'debug', ...over }, { logger: verbose ? undefined : false });
    client = await Bus.connect({ url: nats.url, name: 'test-client' });
    const configKv = await client.openKv(ConfigBucket.name, { history: ConfigBucket.history });
    const registryKv = await client.openKv(RegistryBucket.name, { history: RegistryBucket.history });
    const c = client;
    const harness: GalleyHarness = {
      nats,
      galley,
      client: c,
      configKv,
      registryKv,
      // Closes whichever Galley the test left running (tests may restart it).
      stop: async () => {
        await harness.galley.close();
        await c.close();
        await nats.stop();
      },
    };
    return harness;
  } catch (err) {
    await galley?.close().catch(() => undefined);
    await client?.close().catch(() => undefined);
    await nats.stop();
    throw err;
  }
}

/** Every live key -> value of a bucket. */
export async function snapshot(kv: KvStore): Promise<Record<string, { value: unknown; revision: number }>> {
  const out: Record<string, { value: unknown; revision: number }> = {};
  for (const e of await kv.entries()) out[e.key] = { value: e.value, revision: e.revision };
  return out;
}
