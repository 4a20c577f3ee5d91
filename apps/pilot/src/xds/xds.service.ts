import { DEFAULT_PUSH_QUEUE, generate, isWildcardType, type PushQueueOptions, type PushScheduler } from '@mizzen/pilot-core';
import type { MeshState } from '../mesh-state/mesh-state';
import { AdsServer } from './ads-server';
import { ConnectionRegistry } from './connections';
import { createGenerationCache } from './generated';
import { Pusher } from './pusher';
import { ResourceCache } from './resource-cache';

const realScheduler: PushScheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  defer: (fn) => setImmediate(fn),
};

/**
 * Wires the ADS server to the mesh state: streams are served from the generation cache over the
 * current snapshot; each snapshot update first advances the cache (dropping what the change can
 * alter), then queues pushes.
 */
export class XdsService {
  readonly registry = new ConnectionRegistry();
  readonly cache = new ResourceCache();
  readonly generated = createGenerationCache(this.cache);
  readonly pusher: Pusher;
  readonly server: AdsServer;
  nacks = 0;

  constructor(
    private readonly state: MeshState,
    controlPlaneId: string,
    private readonly log: (msg: string) => void,
    pushQueue: PushQueueOptions = DEFAULT_PUSH_QUEUE,
    scheduler: PushScheduler = realScheduler,
  ) {
    this.pusher = new Pusher(this.registry, log, pushQueue, scheduler);
    this.server = new AdsServer(
      this.registry,
      {
        resources: (proxy, typeUrl, names) => this.generated.get(this.state.current(), proxy, typeUrl, names),
        generate: (proxy, typeUrl, names) => generate({ snapshot: this.state.current(), proxy, names }, typeUrl),
        isWildcard: (proxy, typeUrl) => isWildcardType(proxy.type, typeUrl),
        controlPlaneId,
        onNack: (proxy, typeUrl, version, message) => {
          this.nacks++;
          this.log(`NACK from ${proxy.id} for ${typeUrl} version ${version}: ${message}`);
        },
      },
      log,
    );
    state.onUpdate((u) => {
      this.generated.advance(u.before, u.after, u.change);
      this.pusher.push(u);
    });
  }
}
