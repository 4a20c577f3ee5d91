import { Bus, type KvStore } from '@mizzen/bus';
import { type ApplyReply, GalleyApply, GalleyDelete, PILOT_ENV, RegistryBucket, type ResourceRef } from '@mizzen/contracts';
import type { Service, Workload } from '@mizzen/mesh-model';
import { freePort, startNats, type NatsServer } from '@mizzen/testkit';
import { type Cleanup, monoMs } from '../common/cleanup';
import { appMain } from '../common/paths';
import { type BenchProcess, startNodeProcess } from '../common/processes';

export interface ControlPlaneOptions {
  /** Preload the profiler into Pilot / Galley. */
  profilePilot?: boolean;
  profileGalley?: boolean;
}

export interface SnapshotInfo {
  version: string;
  configs: number;
  workloads: number;
  /** Services in the built (debounced) snapshot, as opposed to the raw record counts. */
  snapshotServices: number;
}

/**
 * NATS + Galley + Pilot as real processes (apps run by path), plus a bus connection of the
 * bench's own for Galley requests and registry KV writes. Everything is registered with `cleanup`.
 */
export class ControlPlane {
  private registryKv?: KvStore;

  private constructor(
    readonly nats: NatsServer,
    readonly bus: Bus,
    readonly galley: BenchProcess,
    readonly pilot: BenchProcess,
    readonly pilotGrpcPort: number,
    readonly pilotDebugPort: number,
  ) {}

  static async start(cleanup: Cleanup, o: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const nats = await startNats();
    cleanup.add('nats-server', () => nats.stop());
    const bus = await Bus.connect({ url: nats.url, name: 'bench' });
    cleanup.add('bench bus', () => bus.close());
    const galley = await startNodeProcess(cleanup, { name: 'galley', script: appMain('galley'), args: ['--nats', nats.url, '--log-level', 'warn'], readyLine: /galley ready/, profilable: o.profileGalley });
    const [grpc, debug] = [await freePort(), await freePort()];
    const pilot = await startNodeProcess(cleanup, {
      name: 'pilot',
      script: appMain('pilot'),
      args: ['--nats', nats.url, '--grpc-host', '127.0.0.1', '--grpc-port', String(grpc), '--debug-port', String(debug), '--id', 'bench-pilot'],
      readyLine: /pilot ready/,
      env: { ...PILOT_ENV },
      profilable: o.profilePilot,
    });
    return new ControlPlane(nats, bus, galley, pilot, grpc, debug);
  }

  get pilotTarget(): string {
    return `127.0.0.1:${this.pilotGrpcPort}`;
  }

  /** Galley's apply request; `ms` is the time until the reply arrived, `doneAt` its monotonic time. */
  async apply(documents: string, timeoutMs = 60_000): Promise<{ reply: ApplyReply; ms: number; doneAt: number }> {
    const t0 = monoMs();
    const reply = await this.bus.request(GalleyApply, { documents, source: 'bench', defaultNamespace: 'default', dryRun: false }, { timeoutMs });
    const doneAt = monoMs();
    if (!reply.accepted) {
      const why = [...reply.errors, ...reply.results.flatMap((r) => r.errors ?? [])].slice(0, 5).map((e) => `${e.path}: ${e.message}`);
      throw new Error(`Galley rejected the apply: ${why.join('; ')}`);
    }
    return { reply, ms: doneAt - t0, doneAt };
  }

  async delete(refs: ResourceRef[], timeoutMs = 60_000): Promise<ApplyReply> {
    return this.bus.request(GalleyDelete, { refs, defaultNamespace: 'default' }, { timeoutMs });
  }

  private async registry(): Promise<KvStore> {
    this.registryKv ??= await this.bus.openKv(RegistryBucket.name, { history: RegistryBucket.history });
    return this.registryKv;
  }

  /** Writes registry records straight to KV (as a Kubernetes registry adapter would). */
  async putServices(services: readonly Service[], workloads: readonly Workload[], concurrency = 64): Promise<void> {
    const kv = await this.registry();
    const writes: Array<() => Promise<number>> = [
      ...services.map((s) => () => kv.put(RegistryBucket.serviceKey(s.namespace, s.hostname), s)),
      ...workloads.map((w) => () => kv.put(RegistryBucket.workloadKey(w.namespace, w.name), w)),
    ];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < writes.length) await writes[next++]();
      }),
    );
  }

  async putWorkload(w: Workload): Promise<number> {
    return (await this.registry()).put(RegistryBucket.workloadKey(w.namespace, w.name), w);
  }

  /** `/debug/snapshot`: record counts (raw, before debounce) and the built snapshot's services. */
  async snapshotInfo(): Promise<SnapshotInfo> {
    const res = await fetch(`http://127.0.0.1:${this.pilotDebugPort}/debug/snapshot`);
    const body = (await res.json()) as { version?: unknown; configs?: number; workloads?: number; services?: unknown };
    const list = Array.isArray(body.services) ? body.services : [];
    return { version: String(body.version), configs: body.configs ?? NaN, workloads: body.workloads ?? NaN, snapshotServices: list.length };
  }

  /** Pilot's Prometheus metrics as name -> value. */
  async metrics(): Promise<Record<string, number>> {
    const text = await (await fetch(`http://127.0.0.1:${this.pilotDebugPort}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const m = /^([a-z_]+)\s+([-\d.eE+]+)$/.exec(line.trim());
      if (m) out[m[1]] = Number(m[2]);
    }
    return out;
  }
}
