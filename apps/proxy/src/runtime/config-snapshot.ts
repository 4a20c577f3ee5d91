import { deepEqual } from '../util/deep-equal';

export interface SnapshotEntry {
  name: string;
  /** The resource body as received (protobufjs object form). */
  body: unknown;
  /** Version of the response in which this resource last changed. */
  version: string;
  lastUpdated: Date;
}

export interface TypeSnapshot {
  /** Version of the last ACKed response. */
  version: string;
  lastUpdated?: Date;
  resources: Map<string, SnapshotEntry>;
}

/**
 * The ACKed xDS resources per type, as `/config_dump` shows them. Only applied (never NACKed)
 * content lands here.
 */
export class ConfigSnapshot {
  private readonly types = new Map<string, TypeSnapshot>();

  get(typeUrl: string): TypeSnapshot {
    let t = this.types.get(typeUrl);
    if (!t) this.types.set(typeUrl, (t = { version: '', resources: new Map() }));
    return t;
  }

  /**
   * Records an ACKed response. `complete` (LDS/CDS) replaces the set; otherwise (RDS/EDS) only the
   * resources given change.
   */
  record(typeUrl: string, version: string, resources: Iterable<{ name: string; body: unknown }>, complete: boolean, now = new Date()): void {
    const t = this.get(typeUrl);
    const next = complete ? new Map<string, SnapshotEntry>() : t.resources;
    for (const { name, body } of resources) {
      const prev = t.resources.get(name);
      next.set(name, prev && deepEqual(prev.body, body) ? prev : { name, body, version, lastUpdated: now });
    }
    t.resources = next;
    t.version = version;
    t.lastUpdated = now;
  }

  /** Drops resources no longer subscribed. */
  retain(typeUrl: string, names: readonly string[]): void {
    const keep = new Set(names);
    const t = this.get(typeUrl);
    for (const n of [...t.resources.keys()]) if (!keep.has(n)) t.resources.delete(n);
  }
}
