import { Module } from '@nestjs/common';
import { settingsProvider } from '../settings';
import { WorksProjectController } from './works-project.controller';

@Module({ controllers: [WorksProjectController], providers: [settingsProvider] })
export class WorksProjectModule {}
