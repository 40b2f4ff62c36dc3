import { Module } from '@nestjs/common';
import { ProgrammeTargetsController } from './programme-targets.controller';

@Module({ controllers: [ProgrammeTargetsController] })
export class ProgrammeTargetsModule {}
