import { type AnyConfig, validateResource } from '@mizzen/config-api';
import { ConfigBucket, RegistryBucket } from '@mizzen/contracts';
import type { Service, Workload } from '@mizzen/mesh-model';
import { type MeshChange, emptyChange, type MeshConfig, type SnapshotInput } from '@mizzen/pilot-core';

/** A KV entry change as Pilot consumes it. `value` is the decoded JSON (undefined on delete). */
export interface KvEntry {
  key: string;
  value: unknown;
  deleted: boolean;
}

/**
 * The current config and registry records, built from KV events. Every value is parsed again at
 * this boundary; an invalid value is reported and the key's last good value stays in force.
 */
export class MeshRecords {
  private readonly configs = new Map<string, AnyConfig>();
  private readonly services = new Map<string, Service>();
  private readonly workloads = new Map<string, Workload>();

  constructor(private readonly report: (msg: string) => void) {}

  applyConfig(e: KvEntry, change: MeshChange): void {
    const ref = ConfigBucket.parseKey(e.key);
    if (!ref) return this.report(`config: ignoring malformed key ${e.key}`);
    const changeKey = `${ref.kind}/${ref.namespace}/${ref.name}`;
    if (e.deleted) {
      if (this.configs.delete(e.key)) (change.configs as Set<string>).add(changeKey);
      return;
    }
    const stored = ConfigBucket.value(e.value);
    if (!stored.ok) return this.report(`config ${e.key}: ${stored.errors.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
    const { source: _source, ...resource } = stored.value;
    const parsed = validateResource(resource, { defaultNamespace: ref.namespace });
    if (!parsed.ok) return this.report(`config ${e.key} rejected: ${parsed.errors.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
    this.configs.set(e.key, parsed.value);
    (change.configs as Set<string>).add(changeKey);
  }

  applyRegistry(e: KvEntry, change: MeshChange): void {
    const ref = RegistryBucket.parseKey(e.key);
    if (!ref) return this.report(`registry: ignoring malformed key ${e.key}`);
    if (ref.type === 'service') {
      const old = this.services.get(e.key);
      if (e.deleted) {
        if (old) {
          this.services.delete(e.key);
          (change.services as Set<string>).add(old.hostname);
        }
        return;
      }
      const parsed = RegistryBucket.service(e.value);
      if (!parsed.ok) return this.report(`registry ${e.key}: ${parsed.errors.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
      this.services.set(e.key, parsed.value);
      (change.services as Set<string>).add(parsed.value.hostname);
      if (old && old.hostname !== parsed.value.hostname) (change.services as Set<string>).add(old.hostname);
      return;
    }
    const wkey = `${ref.namespace}/${ref.name}`;
    if (e.deleted) {
      if (this.workloads.delete(e.key)) (change.workloads as Set<string>).add(wkey);
      return;
    }
    const parsed = RegistryBucket.workload(e.value);
    if (!parsed.ok) return this.report(`registry ${e.key}: ${parsed.errors.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
    this.workloads.set(e.key, parsed.value);
    (change.workloads as Set<string>).add(wkey);
  }

  snapshotInput(mesh: MeshConfig): SnapshotInput {
    return { configs: [...this.configs.values()], services: [...this.services.values()], workloads: [...this.workloads.values()], mesh };
  }

  counts(): { configs: number; services: number; workloads: number } {
    return { configs: this.configs.size, services: this.services.size, workloads: this.workloads.size };
  }
}

export { emptyChange };
