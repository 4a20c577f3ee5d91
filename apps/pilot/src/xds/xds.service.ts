import { DEFAULT_PUSH_QUEUE, generate, isWildcardType, type PushQueueOptions, type PushScheduler } from '@mizzen/pilot-core';
import { TypeUrl } from '@mizzen/xds-types';
import type { MeshState } from '../mesh-state/mesh-state';
import { GatewayCredentials } from '../security/gateway-credentials';
import { TrustAnchors } from '../security/trust-anchors';
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
 * alter), then queues pushes. PCDS (Istio's ProxyConfig with the trust bundle) is mesh-wide and
 * served from {@link TrustAnchors} instead; SDS (gateway credentials) from {@link GatewayCredentials},
 * per request, outside the generation cache.
 */
export class XdsService {
  readonly registry = new ConnectionRegistry();
  readonly cache = new ResourceCache();
  readonly generated = createGenerationCache(this.cache);
  readonly trust = new TrustAnchors(this.cache);
  readonly credentials: GatewayCredentials;
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
    this.credentials = new GatewayCredentials(this.cache, log);
    this.server = new AdsServer(
      this.registry,
      {
        resources: (proxy, typeUrl, names) => {
          if (typeUrl === TypeUrl.ProxyConfig) return this.trust.generated;
          if (typeUrl === TypeUrl.Secret) return this.credentials.generated(proxy, names);
          return this.generated.get(this.state.current(), proxy, typeUrl, names);
        },
        generate: (proxy, typeUrl, names) => {
          if (typeUrl === TypeUrl.ProxyConfig) return this.trust.current();
          if (typeUrl === TypeUrl.Secret) return this.credentials.redacted(proxy, names);
          return generate({ snapshot: this.state.current(), proxy, names }, typeUrl);
        },
        isWildcard: (proxy, typeUrl) => typeUrl === TypeUrl.ProxyConfig || isWildcardType(proxy.type, typeUrl),
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

  /**
   * A credential was created, replaced or deleted: SDS is pushed to every stream, and each resends
   * only when the secrets it subscribed to changed (versions by content), so a rotation reaches the
   * gateways that name it and nobody else.
   */
  credentialChanged(): void {
    this.pusher.pushTypes(new Set([TypeUrl.Secret]));
  }

  /** New trust anchors from Citadel: every proxy subscribed to PCDS gets them (when they changed). */
  setTrustRoots(roots: readonly string[]): boolean {
    if (!this.trust.set(roots)) return false;
    this.pusher.pushTypes(new Set([TypeUrl.ProxyConfig]));
    return true;
  }
}
