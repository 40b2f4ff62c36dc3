import { Module } from '@nestjs/common';
import { PlacementController } from './placement.controller';

@Module({ controllers: [PlacementController] })
export class PlacementModule {}
