import { Debouncer, type DebounceOptions, emptyChange, type MeshChange, type MeshConfig, MeshSnapshot, type Timer } from '@mizzen/pilot-core';
import { type KvEntry, MeshRecords } from './mesh-records';

export interface SnapshotUpdate {
  before: MeshSnapshot;
  after: MeshSnapshot;
  change: MeshChange;
  /** When the first event of this batch arrived (convergence measurement). */
  firstEventAt: number;
}

export interface MeshDebounce extends DebounceOptions {
  /**
   * Max delay of a batch holding only endpoint (workload) changes. Those are pushed as EDS only,
   * incrementally, so they can go out sooner than config: under steady endpoint churn the quiet
   * period never passes and `maxMs` (10 s, Istio's default) would hold every change that long.
   */
  endpointMaxMs: number;
}

/**
 * Holds the current immutable MeshSnapshot. KV events are applied to the records at once and
 * debounced; each flush builds a new snapshot and hands (before, after, change) to listeners.
 */
export class MeshState {
  private snapshot: MeshSnapshot;
  private readonly records: MeshRecords;
  /** Key sets Pilot resolved (security/jwks-resolver.ts), an input of every snapshot. */
  private jwks: ReadonlyMap<string, string> = new Map();
  private readonly debouncer: Debouncer<{ change: MeshChange; at: number }>;
  private readonly listeners: Array<(u: SnapshotUpdate) => void> = [];
  private gate?: PublishGate;
  /** The batch (and those flushed since) whose snapshot the gate holds. */
  private held?: { change: MeshChange; at: number };
  private stopped = false;
  private version = 0;
  pushes = 0;

  constructor(
    private readonly mesh: MeshConfig,
    debounce: MeshDebounce,
    private readonly timer: Timer,
    report: (msg: string) => void,
  ) {
    this.snapshot = MeshSnapshot.empty(mesh);
    this.records = new MeshRecords(report);
    this.debouncer = new Debouncer(
      debounce,
      timer,
      (a, b) => ({ change: mergeInto(a.change, b.change), at: Math.min(a.at, b.at) }),
      (m) => this.flush(m.change, m.at),
      (m) => (isEndpointOnly(m.change) ? Math.min(debounce.endpointMaxMs, debounce.maxMs) : debounce.maxMs),
    );
  }

  current(): MeshSnapshot {
    return this.snapshot;
  }

  onUpdate(l: (u: SnapshotUpdate) => void): void {
    this.listeners.push(l);
  }

  /**
   * Installs the check asked before each debounced snapshot is published. A promise it returns
   * holds the publication, and every batch flushed meanwhile, until it settles; then the snapshot
   * is built again from everything known (and the gate asked again). `rebuildNow` is not gated.
   */
  holdBeforePublish(gate: PublishGate): void {
    this.gate = gate;
  }

  configEvent(e: KvEntry): void {
    const change = emptyChange();
    this.records.applyConfig(e, change);
    this.enqueue(change);
  }

  registryEvent(e: KvEntry): void {
    const change = emptyChange();
    this.records.applyRegistry(e, change);
    this.enqueue(change);
  }

  /**
   * Resolved JWKS changed: `keySets` is every key set now known, `changed` the source keys that
   * differ. Debounced like config events; proxies whose RequestAuthentications use a changed
   * key set get new listeners.
   */
  jwksEvent(keySets: ReadonlyMap<string, string>, changed: ReadonlySet<string>): void {
    this.jwks = new Map(keySets);
    this.enqueue({ ...emptyChange(), jwks: new Set(changed) });
  }

  /** Builds the snapshot immediately (initial sync: no debounce before the first serve). */
  rebuildNow(): void {
    this.debouncer.stop();
    this.rebuild({ ...emptyChange(), full: true }, this.timer.now());
  }

  stop(): void {
    this.stopped = true;
    this.debouncer.stop();
  }

  counts(): ReturnType<MeshRecords['counts']> {
    return this.records.counts();
  }

  private enqueue(change: MeshChange): void {
    if (change.configs.size || change.services.size || change.workloads.size || change.jwks.size || change.full) {
      this.debouncer.push({ change, at: this.timer.now() });
    }
  }

  /** A debounced flush: build, ask the gate, publish (or hold until the gate settles). */
  private flush(change: MeshChange, firstEventAt: number): void {
    if (this.stopped) return;
    if (this.held) {
      this.held = { change: mergeInto(this.held.change, change), at: Math.min(this.held.at, firstEventAt) };
      return;
    }
    if (isJwksOnly(change) && [...change.jwks].every((k) => this.snapshot.resolvedJwks(k) === this.jwks.get(k))) return;
    const candidate = this.build();
    const hold = this.gate?.(candidate);
    if (!hold) return this.publish(candidate, change, firstEventAt);
    this.held = { change, at: firstEventAt };
    const release = () => {
      const held = this.held;
      this.held = undefined;
      if (held) this.flush(held.change, held.at);
    };
    void hold.then(release, release);
  }

  private rebuild(change: MeshChange, firstEventAt: number): void {
    this.publish(this.build(), change, firstEventAt);
  }

  private build(): MeshSnapshot {
    return MeshSnapshot.build({ ...this.records.snapshotInput(this.mesh), jwks: this.jwks }, this.version + 1);
  }

  private publish(after: MeshSnapshot, change: MeshChange, firstEventAt: number): void {
    const before = this.snapshot;
    this.snapshot = after;
    this.version = after.version;
    this.pushes++;
    for (const l of this.listeners) l({ before, after, change, firstEventAt });
  }
}

/** Asked before a debounced snapshot is published; a promise holds it (see holdBeforePublish). */
export type PublishGate = (candidate: MeshSnapshot) => Promise<unknown> | undefined;

/** Adds b's keys to a, which the debouncer owns (a fresh emptyChange() per event): O(|b|) per merge. */
function mergeInto(a: MeshChange, b: MeshChange): MeshChange {
  for (const k of b.configs) (a.configs as Set<string>).add(k);
  for (const k of b.services) (a.services as Set<string>).add(k);
  for (const k of b.workloads) (a.workloads as Set<string>).add(k);
  for (const k of b.jwks) (a.jwks as Set<string>).add(k);
  return a.full || !b.full ? a : { ...a, full: true };
}

/** A batch holding only resolved key set changes. */
function isJwksOnly(c: MeshChange): boolean {
  return !c.full && c.configs.size === 0 && c.services.size === 0 && c.workloads.size === 0 && c.jwks.size > 0;
}

function isEndpointOnly(c: MeshChange): boolean {
  return !c.full && c.configs.size === 0 && c.services.size === 0 && c.jwks.size === 0 && c.workloads.size > 0;
}
