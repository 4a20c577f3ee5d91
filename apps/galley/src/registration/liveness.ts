import type { Clock } from '../platform/clock';

interface WorkloadState {
  /** The Pilot that last reported the workload (connect or heartbeat), if known. */
  pilotId?: string;
  proxyId?: string;
  /** Last connect or heartbeat mention (or when this Galley learned of it). */
  lastSeen: number;
  /** Set by a disconnect from the current Pilot; cleared by a reconnect or a later report. */
  disconnectedAt?: number;
}

interface PilotState {
  lastSeen: number;
  intervalMs: number;
}

/** A Pilot counts as alive until it misses this many heartbeat intervals. */
const MISSED_HEARTBEATS = 3;

/**
 * Decides when a registered workload is gone. Pure state; time comes from the injected clock.
 * - After a disconnect from the Pilot it is connected to, it expires `graceMs` later unless it
 *   reconnects (to any Pilot) or a Pilot reports it meanwhile. A disconnect from another Pilot
 *   (the proxy already moved) is ignored.
 * - Otherwise it expires when no Pilot has reported it for `graceMs` — but only while at least
 *   one Pilot is alive: with no heartbeats at all nobody could have seen the proxy, so nothing
 *   is expired on absence of evidence.
 */
export class LivenessTracker {
  private readonly workloads = new Map<string, WorkloadState>();
  private readonly pilots = new Map<string, PilotState>();

  constructor(
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {}

  /** A proxy of `key` (`namespace/name`) connected through `pilotId`. */
  connected(key: string, pilotId: string, proxyId: string): void {
    this.workloads.set(key, { pilotId, proxyId, lastSeen: this.clock.now() });
  }

  /** Returns false when the disconnect is stale (another Pilot or proxy holds the workload now). */
  disconnected(key: string, pilotId: string, proxyId: string): boolean {
    const w = this.workloads.get(key);
    if (!w) return false;
    if ((w.pilotId !== undefined && w.pilotId !== pilotId) || (w.proxyId !== undefined && w.proxyId !== proxyId)) return false;
    w.disconnectedAt ??= this.clock.now();
    return true;
  }

  heartbeat(pilotId: string, workloads: readonly string[], intervalMs: number): void {
    const now = this.clock.now();
    this.pilots.set(pilotId, { lastSeen: now, intervalMs });
    for (const key of workloads) {
      const w = this.workloads.get(key);
      if (!w) continue;
      w.lastSeen = now;
      w.pilotId = pilotId;
      w.disconnectedAt = undefined;
    }
  }

  /** A registered workload this Galley did not see connect (found in KV at start or written by a peer). */
  known(key: string): void {
    if (!this.workloads.has(key)) this.workloads.set(key, { lastSeen: this.clock.now() });
  }

  forget(key: string): void {
    this.workloads.delete(key);
  }

  tracked(): string[] {
    return [...this.workloads.keys()].sort();
  }

  anyPilotAlive(): boolean {
    const now = this.clock.now();
    for (const p of this.pilots.values()) if (now - p.lastSeen <= MISSED_HEARTBEATS * p.intervalMs) return true;
    return false;
  }

  /** Workloads to remove now. */
  expired(): string[] {
    const now = this.clock.now();
    const pilotsAlive = this.anyPilotAlive();
    const out: string[] = [];
    for (const [key, w] of this.workloads) {
      if (w.disconnectedAt !== undefined) {
        if (now - w.disconnectedAt >= this.graceMs) out.push(key);
      } else if (pilotsAlive && now - w.lastSeen >= this.graceMs) {
        out.push(key);
      }
    }
    return out.sort();
  }
}
