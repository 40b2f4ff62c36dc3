import { Module } from '@nestjs/common';
import { CommitteeController } from './committee.controller';

@Module({ controllers: [CommitteeController] })
export class CommitteeModule {}
