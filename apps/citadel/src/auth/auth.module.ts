import { Global, Module } from '@nestjs/common';
import type { CaDir } from '../ca/ca-files';
import { CA_DIR } from '../ca/certificate-authority';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { CLOCK, type Clock } from '../platform/clock';
import { BootstrapTokens } from './bootstrap-tokens';
import { CallerAuth } from './caller-auth';
import { AUTHENTICATORS, type Authenticator } from './identity';
import { KubeTokenReview } from './kube-token-review';
import { openTokenKey } from './token-key';

/** Caller authentication: bootstrap tokens (local mode) and/or Kubernetes TokenReview, per `--auth`. */
@Global()
@Module({
  providers: [
    {
      provide: BootstrapTokens,
      inject: [CA_DIR, CITADEL_CONFIG, CLOCK],
      useFactory: async (dir: CaDir, c: CitadelConfig, clock: Clock) => new BootstrapTokens(await openTokenKey(dir), c.trustDomain, clock),
    },
    {
      provide: AUTHENTICATORS,
      inject: [BootstrapTokens, CITADEL_CONFIG],
      useFactory: (tokens: BootstrapTokens, c: CitadelConfig): Authenticator[] => [
        ...(c.auth.includes('local') ? [tokens] : []),
        ...(c.auth.includes('kubernetes') && c.kube ? [new KubeTokenReview(c.kube)] : []),
      ],
    },
    CallerAuth,
  ],
  exports: [BootstrapTokens, CallerAuth],
})
export class AuthModule {}
