import { Module } from '@nestjs/common';
import { WorkloadCertsModule } from '../workload-certs/workload-certs.module';
import { CaGrpcServer } from './ca-grpc-server';
import { plaintextCredentials, SERVING_CREDENTIALS } from './serving-credentials';

@Module({
  imports: [WorkloadCertsModule],
  providers: [{ provide: SERVING_CREDENTIALS, useValue: plaintextCredentials }, CaGrpcServer],
  exports: [CaGrpcServer],
})
export class GrpcModule {}
