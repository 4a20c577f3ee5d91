import { type KvStore, type KvWatcher, watchKv } from '@mizzen/bus';
import { type ConnectRequest, type DisconnectEvent, type HeartbeatEvent, RegistryBucket } from '@mizzen/contracts';
import { type Service, type Workload, workloadKey } from '@mizzen/mesh-model';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '../platform/clock';
import { GALLEY_CONFIG, type GalleyConfig } from '../platform/galley-config';
import { REGISTRY_KV } from '../stores/kv-tokens';
import { serviceRecordKey, workloadRecordKey } from '../stores/registry-keys';
import { parseRecord, RegistryStore } from '../stores/registry-store.service';
import { LivenessTracker } from './liveness';
import { orphanedServices, ownsRegistered, registeredService, registeredWorkload } from './registration-records';

/**
 * Workloads that register themselves through their proxy's Pilot (Istio's WorkloadEntry
 * auto-registration), and the services they declare. Liveness rules are in liveness.ts.
 * Registrations are learned from the registry bucket too, so a restarted Galley (or a replica
 * that did not take the connect request) still expires them.
 */
@Injectable()
export class RegistrationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RegistrationService.name);
  private readonly liveness: LivenessTracker;
  private queue: Promise<void> = Promise.resolve();
  private watch: KvWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(GALLEY_CONFIG) private readonly config: GalleyConfig,
    @Inject(CLOCK) clock: Clock,
    @Inject(REGISTRY_KV) private readonly kv: KvStore,
    private readonly registry: RegistryStore,
  ) {
    this.liveness = new LivenessTracker(clock, config.gracePeriodMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.watch = watchKv(this.kv, (e) => {
      if (e.type === 'synced') return;
      const k = RegistryBucket.parseKey(e.key);
      if (k?.type !== 'workload') return;
      if (e.type === 'delete') {
        // Re-check: the workload may have registered again since this delete was written.
        return void this.run(async () => {
          if (!(await this.registry.get(e.key))) this.liveness.forget(`${k.namespace}/${k.name}`);
        });
      }
      const record = parseRecord(e.key, e.value);
      if (record && ownsRegistered(record.source)) this.liveness.known(`${k.namespace}/${k.name}`);
    });
    await this.watch.synced;
    const every = Math.max(20, Math.min(1000, Math.floor(this.config.gracePeriodMs / 4)));
    this.timer = setInterval(() => void this.run(() => this.sweep()), every);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.watch?.stop();
    await this.queue;
  }

  connect(req: ConnectRequest): Promise<{ ok: boolean; error?: string }> {
    return this.run(async () => {
      const workload = registeredWorkload(req);
      const key = workloadKey(workload);
      const written = await this.registry.put(workloadRecordKey(workload), workload, ownsRegistered);
      if (written === 'conflict') {
        this.logger.warn(`registration of ${key} by ${req.pilotId} refused: a WorkloadEntry or another source holds it`);
        return { ok: false, error: `workload ${key} is defined by config; registration refused` };
      }
      this.liveness.connected(key, req.pilotId, req.proxyId);
      if (written === 'written') this.logger.log(`${key} registered by ${req.pilotId} (proxy ${req.proxyId})`);
      await this.upsertService(req);
      return { ok: true };
    });
  }

  disconnect(e: DisconnectEvent): Promise<void> {
    return this.run(async () => {
      const key = `${e.namespace}/${e.name}`;
      if (this.liveness.disconnected(key, e.pilotId, e.proxyId)) {
        this.logger.log(`${key} disconnected from ${e.pilotId}; removed in ${this.config.gracePeriodMs} ms unless it reconnects`);
      }
    });
  }

  heartbeat(e: HeartbeatEvent): Promise<void> {
    return this.run(async () => this.liveness.heartbeat(e.pilotId, e.workloads, e.intervalMs));
  }

  /** Removes expired workloads, then the registered services none of the remaining ones back. */
  async sweep(): Promise<void> {
    const expired = this.liveness.expired();
    if (!expired.length) return;
    const namespaces = new Set<string>();
    for (const key of expired) {
      const [namespace, name] = splitKey(key);
      await this.registry.delete(RegistryBucket.workloadKey(namespace, name), ownsRegistered);
      this.liveness.forget(key);
      namespaces.add(namespace);
      this.logger.log(`${key} expired and removed`);
    }
    const entries = await this.registry.list();
    const services = entries.filter((e) => e.type === 'service').map((e) => e.record as Service);
    const workloads = entries.filter((e) => e.type === 'workload').map((e) => e.record as Workload);
    for (const ns of namespaces) {
      for (const s of orphanedServices(services, workloads, ns)) {
        await this.registry.delete(serviceRecordKey(s), ownsRegistered);
        this.logger.log(`service ${s.hostname} removed: no registered workload left`);
      }
    }
  }

  private async upsertService(req: ConnectRequest): Promise<void> {
    if (!req.service) return;
    const probe = registeredService(undefined, req) as Service;
    const key = serviceRecordKey(probe);
    const existing = await this.registry.get(key);
    const current = existing && ownsRegistered(existing.record.source) ? (existing.record as Service) : undefined;
    const service = registeredService(current, req) as Service;
    const result = await this.registry.put(key, service, ownsRegistered);
    if (result === 'conflict') this.logger.warn(`service ${service.hostname} declared by ${workloadKey(req.workload)} is defined by config; left as is`);
    else if (result === 'written') this.logger.log(`service ${service.hostname} registered (ports ${service.ports.map((p) => p.number).join(', ')})`);
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    const p = this.queue.then(task);
    this.queue = p.then(
      () => undefined,
      (err: unknown) => this.logger.error(`registration: ${(err as Error)?.stack ?? String(err)}`),
    );
    return p;
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
