import { affectedTypes } from '@mizzen/pilot-core';
import type { SnapshotUpdate } from '../mesh-state/mesh-state';
import type { ConnectionRegistry } from './connections';

export interface PushStats {
  pushes: number;
  lastPushMs: number;
  lastProxiesPushed: number;
  lastResponsesSent: number;
}

/**
 * Applies a snapshot update to every connected proxy: only the types the change can affect are
 * regenerated, and only changed versions are sent.
 */
export class Pusher {
  readonly stats: PushStats = { pushes: 0, lastPushMs: 0, lastProxiesPushed: 0, lastResponsesSent: 0 };

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly log: (msg: string) => void,
  ) {}

  push(u: SnapshotUpdate): void {
    const start = performance.now();
    let proxies = 0;
    let responses = 0;
    for (const conn of this.registry.all()) {
      const types = affectedTypes(u.change, conn.proxy, u.before, u.after);
      if (types.size === 0) continue;
      try {
        const sent = conn.push(types);
        if (sent) proxies++;
        responses += sent;
      } catch (e) {
        this.log(`push to ${conn.proxy.id} failed: ${(e as Error).stack ?? e}`);
      }
    }
    this.stats.pushes++;
    this.stats.lastPushMs = performance.now() - start;
    this.stats.lastProxiesPushed = proxies;
    this.stats.lastResponsesSent = responses;
    if (responses) this.log(`push v${u.after.version}: ${responses} responses to ${proxies} proxies in ${this.stats.lastPushMs.toFixed(1)} ms`);
  }
}
