import type { ResourceRef } from '@mizzen/contracts';
import { waitFor } from '@mizzen/testkit';
import { TypeUrl } from '@mizzen/xds-types';
import { monoMs } from '../../common/cleanup';
import { type ProfileSummary, summarizeProfile } from '../../common/profiling/summarize-profile';
import type { BenchSettings } from '../scenario';
import type { IngestionEnv } from './setup';

export const resourcesPerApply = (s: BenchSettings): number => (s.quick ? 200 : 1000);

export interface IngestionRound {
  round: number;
  resources: number;
  yamlKb: number;
  /** ms from sending the apply request to Galley's reply (all resources validated and written). */
  acceptedMs: number;
  /** ms from sending until Pilot's built snapshot holds every new service (/debug/snapshot). */
  visibleInPilotMs: number;
  /** ms from sending until the connected client ACKed a CDS response with every new cluster. */
  visibleToClientMs: number;
  galleyCpuS: number;
  pilotCpuS: number;
  error?: string;
}

export interface IngestionRaw {
  rounds: IngestionRound[];
  profiles: Array<{ what: string; summary: ProfileSummary }>;
}

/** `count` ServiceEntries (one host, one port, one static endpoint each) as multi-document YAML. */
export function serviceEntries(round: number, count: number): { yaml: string; refs: ResourceRef[] } {
  const docs: string[] = [];
  const refs: ResourceRef[] = [];
  for (let i = 0; i < count; i++) {
    const name = `ingest-${round}-${i}`;
    refs.push({ kind: 'ServiceEntry', namespace: 'default', name });
    docs.push(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ${name}
  namespace: default
spec:
  hosts: [${name}.bench.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
  - number: 8080
    name: http
    protocol: HTTP
  endpoints:
  - address: 127.60.${(i >> 8) & 255}.${i & 255}
`);
  }
  return { yaml: docs.join('---\n'), refs };
}

/** Rounds of: apply N ServiceEntries in one request, wait until Pilot and a client see them, delete them. */
export async function runIngestion(s: BenchSettings, env: IngestionEnv): Promise<IngestionRaw> {
  const n = resourcesPerApply(s);
  const rounds: IngestionRound[] = [];
  const profiles: IngestionRaw['profiles'] = [];
  const galley = env.cp.galley.group();
  const pilot = env.cp.pilot.group();
  for (let r = 1; r <= s.rounds; r++) {
    const { yaml, refs } = serviceEntries(r, n);
    const baseServices = (await env.cp.snapshotInfo()).snapshotServices;
    const baseClusters = env.client.resourceCounts.get(TypeUrl.Cluster) ?? 0;
    const stopProfile = s.profile && r === s.rounds ? await env.cp.galley.profile() : undefined;
    const stopPilotProfile = s.profile && r === s.rounds ? await env.cp.pilot.profile() : undefined;
    const round: IngestionRound = { round: r, resources: n, yamlKb: Buffer.byteLength(yaml) / 1024, acceptedMs: NaN, visibleInPilotMs: NaN, visibleToClientMs: NaN, galleyCpuS: NaN, pilotCpuS: NaN };
    const g0 = galley.cpuSeconds();
    const p0 = pilot.cpuSeconds();
    const t0 = monoMs();
    try {
      await env.cp.apply(yaml, 120_000);
      round.acceptedMs = monoMs() - t0;
      const pilotSeen = waitFor(async () => (await env.cp.snapshotInfo()).snapshotServices >= baseServices + n, { timeoutMs: 60_000, intervalMs: 20, message: 'Pilot never showed every new service' }).then(() => (round.visibleInPilotMs = monoMs() - t0));
      const clientSeen = waitFor(() => (env.client.resourceCounts.get(TypeUrl.Cluster) ?? 0) >= baseClusters + n, { timeoutMs: 60_000, intervalMs: 5, message: 'the client never received every new cluster' }).then(() => (round.visibleToClientMs = monoMs() - t0));
      await Promise.all([pilotSeen, clientSeen]);
    } catch (e) {
      round.error = (e as Error).message;
    }
    round.galleyCpuS = galley.cpuSeconds() - g0;
    round.pilotCpuS = pilot.cpuSeconds() - p0;
    const file = await stopProfile?.();
    if (file) profiles.push({ what: `Galley applying ${n} ServiceEntries`, summary: summarizeProfile(file) });
    const pilotFile = await stopPilotProfile?.();
    if (pilotFile) profiles.push({ what: `Pilot while ${n} ServiceEntries are applied (until visible to a proxy)`, summary: summarizeProfile(pilotFile) });
    rounds.push(round);
    s.log(`  round ${r}: ${n} resources (${round.yamlKb.toFixed(0)} KB) accepted in ${round.acceptedMs.toFixed(0)} ms, in Pilot at ${round.visibleInPilotMs.toFixed(0)} ms, at a client at ${round.visibleToClientMs.toFixed(0)} ms${round.error ? `; ${round.error}` : ''}`);
    await env.cp.delete(refs, 120_000);
    await waitFor(async () => (await env.cp.snapshotInfo()).snapshotServices <= baseServices, { timeoutMs: 60_000, intervalMs: 100 }).catch(() => undefined);
  }
  return { rounds, profiles };
}
