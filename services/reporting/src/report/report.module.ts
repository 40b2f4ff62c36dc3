import { Module } from '@nestjs/common';
import { ReadinessModule } from '@tashghil/service-kit';
import { LiveProjection } from '../read-model/live.projection';
import { ReadModelBuilder } from '../read-model/read-model-builder';
import { RebuildJobs } from '../read-model/rebuild-jobs';
import { ReportController } from './report.controller';

@Module({
  imports: [ReadinessModule],
  controllers: [ReportController, LiveProjection],
  providers: [ReadModelBuilder, RebuildJobs],
})
export class ReportModule {}
