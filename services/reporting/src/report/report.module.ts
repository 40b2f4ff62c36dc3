import { Module } from '@nestjs/common';
import { LiveProjection } from '../read-model/live.projection';
import { ReportController } from './report.controller';

@Module({ controllers: [ReportController, LiveProjection] })
export class ReportModule {}
