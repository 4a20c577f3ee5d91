import type { KvStore } from '@mizzen/bus';
import { TrustBucket } from '@mizzen/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CaState } from '../ca/ca-state';
import { CertificateAuthority } from '../ca/certificate-authority';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { CLOCK, type Clock } from '../platform/clock';
import { toTrustBundle } from './trust-bundle';

export const TRUST_KV = Symbol('citadel:trust-kv');

/**
 * Publishes the trust bundle (certificates only, never a key) to KV on start and after every
 * rotation step, so Pilot and, through it, the proxies learn new roots before they are needed.
 */
@Injectable()
export class TrustPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TrustBundle');
  private unsubscribe?: () => void;

  constructor(
    @Inject(TRUST_KV) private readonly kv: KvStore,
    private readonly ca: CertificateAuthority,
    @Inject(CITADEL_CONFIG) private readonly config: CitadelConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publish(this.ca.current);
    this.unsubscribe = this.ca.onChange((s) => this.publish(s));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  async publish(state: CaState): Promise<void> {
    const bundle = toTrustBundle(state, this.config.trustDomain, new Date(this.clock.now()));
    const revision = await this.kv.put(TrustBucket.bundleKey, bundle);
    this.logger.log(`published trust bundle rev ${revision}: ${bundle.roots.map((r) => `${r.sha256.slice(0, 16)} (${r.state})`).join(', ')}`);
  }
}
