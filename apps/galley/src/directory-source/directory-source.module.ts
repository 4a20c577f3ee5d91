import { Module } from '@nestjs/common';
import { DirectorySourceService } from './directory-source.service';

@Module({ providers: [DirectorySourceService], exports: [DirectorySourceService] })
export class DirectorySourceModule {}
