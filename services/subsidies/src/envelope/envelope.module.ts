import { Module } from '@nestjs/common';
import { EnvelopeConsumer } from './envelope.consumer';
import { EnvelopeController } from './envelope.controller';

@Module({ controllers: [EnvelopeController, EnvelopeConsumer] })
export class EnvelopeModule {}
