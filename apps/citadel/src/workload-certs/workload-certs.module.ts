import { Module } from '@nestjs/common';
import { WorkloadCerts } from './workload-certs.service';

@Module({ providers: [WorkloadCerts], exports: [WorkloadCerts] })
export class WorkloadCertsModule {}
