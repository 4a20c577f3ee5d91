import { Module } from '@nestjs/common';
import { CitadelController } from './citadel.controller';

@Module({ controllers: [CitadelController] })
export class CitadelBusModule {}
