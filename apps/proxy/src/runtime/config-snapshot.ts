import { decodeAnyValue, encodeMessage } from '@mizzen/xds-codec';

/**
 * One ACKed resource. It keeps the resource's encoded bytes, not its decoded body: a 1000-service
 * mesh's decoded CDS/EDS/RDS bodies held ~7 MB of heap in every sidecar, the bytes ~1.5 MB; the
 * body is decoded again only when `/config_dump` or a new worker asks for it.
 */
export class SnapshotEntry {
  constructor(
    readonly name: string,
    readonly typeUrl: string,
    /** The resource message as protobuf bytes (an Any's value). */
    readonly encoded: Buffer,
    /** Version of the response in which this resource last changed. */
    readonly version: string,
    readonly lastUpdated: Date,
  ) {}

  /** The resource body (protobufjs object form, as the handlers received it). */
  get body(): Record<string, unknown> {
    return decodeAnyValue(this.typeUrl, this.encoded);
  }
}

export interface TypeSnapshot {
  /** Version of the last ACKed response. */
  version: string;
  lastUpdated?: Date;
  resources: Map<string, SnapshotEntry>;
}

/** A resource as the handlers give it: its body, and its bytes when it came off the wire. */
export interface RecordedResource {
  name: string;
  body: unknown;
  encoded?: Uint8Array;
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
   * resources given change. A resource keeps its version and time while its bytes are unchanged
   * (Pilot encodes the same content to the same bytes); received bytes are copied, so the
   * response buffer they point into is not kept alive.
   */
  record(typeUrl: string, version: string, resources: Iterable<RecordedResource>, complete: boolean, now = new Date()): void {
    const t = this.get(typeUrl);
    const next = complete ? new Map<string, SnapshotEntry>() : t.resources;
    for (const r of resources) {
      // Received bytes are copied (they point into the response); fresh ones are only wrapped.
      const fresh = r.encoded ? undefined : encodeMessage(typeUrl, r.body);
      const encoded = fresh ? Buffer.from(fresh.buffer, fresh.byteOffset, fresh.byteLength) : Buffer.from(r.encoded as Uint8Array);
      const prev = t.resources.get(r.name);
      next.set(r.name, prev?.encoded.equals(encoded) ? prev : new SnapshotEntry(r.name, typeUrl, encoded, version, now));
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
