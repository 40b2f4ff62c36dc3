import { Module } from '@nestjs/common';
import { ParameterController } from './parameter.controller';
import { SchemeController } from './scheme.controller';

@Module({ controllers: [ParameterController, SchemeController] })
export class ParameterModule {}
