import { Module } from '@nestjs/common';
import { ConventionController } from './convention.controller';

@Module({ controllers: [ConventionController] })
export class ConventionModule {}
