import { generate, isWildcardType } from '@mizzen/pilot-core';
import type { MeshState } from '../mesh-state/mesh-state';
import { AdsServer } from './ads-server';
import { ConnectionRegistry } from './connections';
import { Pusher } from './pusher';
import { ResourceCache } from './resource-cache';

/** Wires the ADS server to the mesh state: generation reads the current snapshot; updates push. */
export class XdsService {
  readonly registry = new ConnectionRegistry();
  readonly cache = new ResourceCache();
  readonly pusher: Pusher;
  readonly server: AdsServer;
  nacks = 0;

  constructor(
    private readonly state: MeshState,
    controlPlaneId: string,
    private readonly log: (msg: string) => void,
  ) {
    this.pusher = new Pusher(this.registry, log);
    this.server = new AdsServer(
      this.registry,
      {
        generate: (proxy, typeUrl, names) => generate({ snapshot: this.state.current(), proxy, names }, typeUrl),
        isWildcard: (proxy, typeUrl) => isWildcardType(proxy.type, typeUrl),
        cache: this.cache,
        controlPlaneId,
        onNack: (proxy, typeUrl, version, message) => {
          this.nacks++;
          this.log(`NACK from ${proxy.id} for ${typeUrl} version ${version}: ${message}`);
        },
      },
      log,
    );
    state.onUpdate((u) => this.pusher.push(u));
  }
}
