import { Module } from '@nestjs/common';
import { ConventionsByRegionController } from './conventions-by-region.controller';

@Module({ controllers: [ConventionsByRegionController] })
export class ConventionsByRegionModule {}
