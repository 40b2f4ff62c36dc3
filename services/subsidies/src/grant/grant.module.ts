import { Module } from '@nestjs/common';
import { settingsProvider } from '../settings';
import { GrantController } from './grant.controller';
import { HireConsumer } from './grant.consumer';

@Module({ controllers: [GrantController, HireConsumer], providers: [settingsProvider] })
export class GrantModule {}
