import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bus, type KvStore } from '@mizzen/bus';
import { CitadelToken, TrustBucket, type TrustBundle } from '@mizzen/contracts';
import { type NatsServer, startNats } from '@mizzen/testkit';
import { type RunningCitadel, startCitadel } from '../citadel';
import { type CitadelConfig, parseCitadelConfig } from '../platform/citadel-config';
import { CaClient } from './ca-client';

/** A real nats-server, Citadel in-process on it (gRPC on a free port), a client bus and a gRPC client. */
export interface CitadelHarness {
  nats: NatsServer;
  caDir: string;
  config: CitadelConfig;
  citadel: RunningCitadel;
  client: Bus;
  trustKv: KvStore;
  ca: CaClient;
  token(namespace: string, serviceAccount: string, ttlSeconds?: number): Promise<string>;
  bundle(): Promise<TrustBundle>;
  /** Stops Citadel and starts it again on the same CA directory (and NATS). */
  restart(extraFlags?: string[]): Promise<void>;
  stop(): Promise<void>;
}

export function testConfig(caDir: string, natsUrl: string, flags: string[] = []): CitadelConfig {
  const r = parseCitadelConfig(['--nats', natsUrl, '--ca-dir', caDir, '--grpc-port', '0', '--log-level', 'debug', ...flags], {}, '/');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

export async function startCitadelHarness(opts: { flags?: string[]; caDir?: string } = {}): Promise<CitadelHarness> {
  const nats = await startNats();
  const caDir = opts.caDir ?? path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'citadel-test-')), 'ca');
  const logger = process.env.MIZZEN_TEST_VERBOSE ? undefined : false;
  let config = testConfig(caDir, nats.url, opts.flags);
  let citadel = await startCitadel(config, { logger });
  const client = await Bus.connect({ url: nats.url, name: 'test-client' });
  const trustKv = await client.openKv(TrustBucket.name, { history: TrustBucket.history });
  // Over TLS, trusting the published bundle (as an agent trusts ROOTCA): follows root rotations.
  const bundleRoots = async () => {
    const parsed = TrustBucket.value((await trustKv.get(TrustBucket.bundleKey))?.value);
    return parsed.ok ? parsed.value.roots.map((r) => r.pem).join('') : '';
  };
  let ca = new CaClient(`127.0.0.1:${citadel.grpcPort}`, bundleRoots);
  const h: CitadelHarness = {
    nats,
    caDir,
    get config() {
      return config;
    },
    get citadel() {
      return citadel;
    },
    client,
    trustKv,
    get ca() {
      return ca;
    },
    token: async (namespace, serviceAccount, ttlSeconds) => (await client.request(CitadelToken, { namespace, serviceAccount, ttlSeconds, requester: 'test' })).token,
    bundle: async () => {
      const e = await trustKv.get(TrustBucket.bundleKey);
      const parsed = TrustBucket.value(e?.value);
      if (!parsed.ok) throw new Error(`no valid trust bundle in KV: ${JSON.stringify(parsed.errors)}`);
      return parsed.value;
    },
    restart: async (extraFlags = []) => {
      ca.close();
      await citadel.close();
      config = testConfig(caDir, nats.url, [...(opts.flags ?? []), ...extraFlags]);
      citadel = await startCitadel(config, { logger });
      ca = new CaClient(`127.0.0.1:${citadel.grpcPort}`, bundleRoots);
    },
    stop: async () => {
      ca.close();
      await citadel.close();
      await client.close();
      await nats.stop();
      if (!opts.caDir) await fs.rm(path.dirname(caDir), { recursive: true, force: true });
    },
  };
  return h;
}
