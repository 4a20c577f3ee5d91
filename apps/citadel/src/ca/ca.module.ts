import { Global, Logger, Module } from '@nestjs/common';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { CLOCK, type Clock } from '../platform/clock';
import { CaDir } from './ca-files';
import { CA_DIR, CertificateAuthority, INITIAL_CA } from './certificate-authority';
import { openCa } from './open-ca';

/** The CA directory, the CA state opened from it at start-up, and the CA service over both. */
@Global()
@Module({
  providers: [
    { provide: CA_DIR, inject: [CITADEL_CONFIG], useFactory: (c: CitadelConfig) => new CaDir(c.caDir) },
    {
      provide: INITIAL_CA,
      inject: [CITADEL_CONFIG, CA_DIR, CLOCK],
      useFactory: (c: CitadelConfig, dir: CaDir, clock: Clock) => {
        const logger = new Logger('CA');
        return openCa(c, dir, new Date(clock.now()), (m) => logger.log(m));
      },
    },
    CertificateAuthority,
  ],
  exports: [CA_DIR, CertificateAuthority],
})
export class CaModule {}
