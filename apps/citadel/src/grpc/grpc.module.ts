import { Logger, Module } from '@nestjs/common';
import { CertificateAuthority } from '../ca/certificate-authority';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { WorkloadCertsModule } from '../workload-certs/workload-certs.module';
import { CaGrpcServer } from './ca-grpc-server';
import { SelfServingCertificate } from './self-serving-cert';
import { plaintextCredentials, SERVING_CREDENTIALS, type ServingCredentials } from './serving-credentials';

@Module({
  imports: [WorkloadCertsModule],
  providers: [
    {
      provide: SERVING_CREDENTIALS,
      inject: [CITADEL_CONFIG, CertificateAuthority],
      useFactory: (c: CitadelConfig, ca: CertificateAuthority): ServingCredentials => {
        if (!c.grpcTls) return plaintextCredentials;
        const logger = new Logger('CaGrpc');
        return new SelfServingCertificate(ca, { trustDomain: c.trustDomain, namespace: c.controlPlaneNamespace, grpcHost: c.grpcHost, ttlMs: c.workloadCertTtlMs }, (m) => logger.log(m));
      },
    },
    CaGrpcServer,
  ],
  exports: [CaGrpcServer],
})
export class GrpcModule {}
