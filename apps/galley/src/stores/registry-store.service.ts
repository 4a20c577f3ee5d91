import { isBusError, type KvStore } from '@mizzen/bus';
import { RegistryBucket } from '@mizzen/contracts';
import type { RecordSource, Service, Workload } from '@mizzen/mesh-model';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { sameJson } from '../platform/stable-json';
import { REGISTRY_KV } from './kv-tokens';

export type RegistryRecord = Service | Workload;

/** Whether a writer may replace or delete a record written by `existing`. */
export type OwnsRecord = (existing: RecordSource) => boolean;

export type RegistryWriteResult = 'written' | 'unchanged' | 'conflict';
export type RegistryDeleteResult = 'deleted' | 'absent' | 'conflict';

export interface RegistryEntry {
  key: string;
  type: 'service' | 'workload';
  record: RegistryRecord;
  revision: number;
}

const MAX_ATTEMPTS = 5;

/**
 * The registry bucket. Several writers share it (ServiceEntry/WorkloadEntry derivation,
 * registration, later Kubernetes), each identified by its records' `source`: a writer replaces or
 * deletes only records it owns, and every change is compare-and-set.
 */
@Injectable()
export class RegistryStore {
  private readonly logger = new Logger(RegistryStore.name);

  constructor(@Inject(REGISTRY_KV) readonly kv: KvStore) {}

  async get(key: string): Promise<{ record: RegistryRecord; revision: number } | undefined> {
    const e = await this.kv.get(key);
    if (!e) return undefined;
    const record = parseRecord(key, e.value);
    if (!record) {
      this.logger.warn(`${key}@${e.revision} is not a valid registry record`);
      return undefined;
    }
    return { record, revision: e.revision };
  }

  /**
   * Writes `record` under `key` unless another owner holds the key or nothing changed. `seen` is
   * the key's state as the caller last saw it (null: absent), used for the first attempt instead
   * of a read; if it is stale the compare-and-set fails and the key is read and retried.
   */
  async put(key: string, record: RegistryRecord, owns: OwnsRecord, seen?: { value: unknown; revision: number } | null): Promise<RegistryWriteResult> {
    for (let attempt = 1; ; attempt++) {
      const e = attempt === 1 && seen !== undefined ? (seen ?? undefined) : await this.kv.get(key);
      const existing = e ? parseRecord(key, e.value) : undefined;
      if (existing && !owns(existing.source)) return 'conflict';
      if (existing && sameJson(existing, record)) return 'unchanged';
      try {
        if (e) await this.kv.update(key, record, e.revision);
        else await this.kv.create(key, record);
        return 'written';
      } catch (err) {
        if (!isBusError(err, 'kv-conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Deletes `key` if it holds a record this writer owns. */
  async delete(key: string, owns: OwnsRecord): Promise<RegistryDeleteResult> {
    for (let attempt = 1; ; attempt++) {
      const e = await this.kv.get(key);
      if (!e) return 'absent';
      const existing = parseRecord(key, e.value);
      if (existing && !owns(existing.source)) return 'conflict';
      try {
        await this.kv.delete(key, { expectedRevision: e.revision });
        return 'deleted';
      } catch (err) {
        if (!isBusError(err, 'kv-conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Every valid record. */
  async list(): Promise<RegistryEntry[]> {
    const out: RegistryEntry[] = [];
    for (const e of await this.kv.entries()) {
      const k = RegistryBucket.parseKey(e.key);
      const record = parseRecord(e.key, e.value);
      if (k && record) out.push({ key: e.key, type: k.type, record, revision: e.revision });
    }
    return out;
  }
}

export function parseRecord(key: string, value: unknown): RegistryRecord | undefined {
  const k = RegistryBucket.parseKey(key);
  if (!k) return undefined;
  const r = k.type === 'service' ? RegistryBucket.service(value) : RegistryBucket.workload(value);
  return r.ok ? r.value : undefined;
}
