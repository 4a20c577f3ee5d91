import { Module } from '@nestjs/common';
import { RegistryFromConfigService } from './registry-from-config.service';

@Module({ providers: [RegistryFromConfigService], exports: [RegistryFromConfigService] })
export class RegistryFromConfigModule {}
