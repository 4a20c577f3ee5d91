import { affectedTypes, PushQueue, type PushQueueOptions, type PushScheduler } from '@mizzen/pilot-core';
import type { ResourceTypeUrl } from '@mizzen/xds-types';
import type { SnapshotUpdate } from '../mesh-state/mesh-state';
import type { ConnectionRegistry } from './connections';
import type { ProxyStream } from './proxy-stream';

export interface PushStats {
  /** Snapshot updates handed to the queue. */
  pushes: number;
  /** Wall time of the last push, from the update to the queue running empty. */
  lastPushMs: number;
  lastProxiesPushed: number;
  lastResponsesSent: number;
}

/** One connection's pending push: the types to regenerate (merged across updates). */
interface PushRequest {
  types: Set<ResourceTypeUrl>;
}

/**
 * Turns snapshot updates into per-connection pushes: only the types the change can affect are
 * queued, the {@link PushQueue} merges, throttles and yields, and each push regenerates (from the
 * generation cache) and sends only changed versions.
 */
export class Pusher {
  readonly stats: PushStats = { pushes: 0, lastPushMs: 0, lastProxiesPushed: 0, lastResponsesSent: 0 };
  private readonly queue: PushQueue<ProxyStream, PushRequest>;
  private startedAt?: number;
  private proxies = 0;
  private responses = 0;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly log: (msg: string) => void,
    opts: PushQueueOptions,
    private readonly scheduler: PushScheduler,
  ) {
    this.queue = new PushQueue<ProxyStream, PushRequest>(opts, scheduler, (a, b) => ({ types: new Set([...a.types, ...b.types]) }), (conn, req, done) => this.pushOne(conn, req, done));
    this.queue.onIdle(() => this.finished());
    registry.onDisconnect((c) => this.queue.remove(c));
  }

  /** Pushes still queued or in flight. */
  get pending(): number {
    return this.queue.pending + this.queue.inFlight;
  }

  push(u: SnapshotUpdate): void {
    this.stats.pushes++;
    this.startedAt ??= this.scheduler.now();
    for (const conn of this.registry.all()) {
      const types = affectedTypes(u.change, conn.proxy, u.before, u.after);
      if (types.size > 0) this.queue.enqueue(conn, { types });
    }
    if (this.queue.idle) this.finished();
  }

  /** Pushes `types` to every connection (a mesh-wide input changed outside the snapshot: the trust bundle). */
  pushTypes(types: ReadonlySet<ResourceTypeUrl>): void {
    this.stats.pushes++;
    this.startedAt ??= this.scheduler.now();
    for (const conn of this.registry.all()) this.queue.enqueue(conn, { types: new Set(types) });
    if (this.queue.idle) this.finished();
  }

  private pushOne(conn: ProxyStream, req: PushRequest, done: () => void): void {
    try {
      const sent = conn.push(req.types, done);
      if (sent) this.proxies++;
      this.responses += sent;
    } catch (e) {
      this.log(`push to ${conn.proxy.id} failed: ${(e as Error).stack ?? e}`);
      done();
    }
  }

  private finished(): void {
    if (this.startedAt === undefined) return;
    this.stats.lastPushMs = this.scheduler.now() - this.startedAt;
    this.stats.lastProxiesPushed = this.proxies;
    this.stats.lastResponsesSent = this.responses;
    if (this.responses) this.log(`push: ${this.responses} responses to ${this.proxies} proxies in ${this.stats.lastPushMs.toFixed(1)} ms`);
    this.startedAt = undefined;
    this.proxies = 0;
    this.responses = 0;
  }
}
