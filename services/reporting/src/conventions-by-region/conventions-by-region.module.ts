import { Module } from '@nestjs/common';
import { ConventionsByRegionController } from './conventions-by-region.controller';
import { ConventionsByRegionProjection } from './conventions-by-region.projection';

@Module({ controllers: [ConventionsByRegionController, ConventionsByRegionProjection] })
export class ConventionsByRegionModule {}
