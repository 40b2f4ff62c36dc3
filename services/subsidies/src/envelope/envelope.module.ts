import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { EnvelopeConsumer } from './envelope.consumer';
import { EnvelopeController } from './envelope.controller';
import { envelopeDecider } from './envelope.decider';

/** Creates q.envelopes, or rebuilds it from the store when its layout changed, before a request or a message arrives. */
@Injectable()
export class EnvelopeQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await ensureQueryModel(this.store, envelopeDecider);
  }
}

@Module({ controllers: [EnvelopeController, EnvelopeConsumer], providers: [EnvelopeQueryModel] })
export class EnvelopeModule {}
