import { Module } from '@nestjs/common';
import { ImportController } from './import.controller';
import { ImportJobs } from './import.jobs';

@Module({ controllers: [ImportController], providers: [ImportJobs] })
export class ImportModule {}
