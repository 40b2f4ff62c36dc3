import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { settingsProvider } from '../settings';
import { GrantController } from './grant.controller';
import { HireConsumer } from './grant.consumer';
import { grantDecider } from './grant.decider';

/** Creates q.grants, or rebuilds it from the store when its layout changed, before the service takes a request. */
@Injectable()
export class GrantQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await ensureQueryModel(this.store, grantDecider);
  }
}

@Module({ controllers: [GrantController, HireConsumer], providers: [settingsProvider, GrantQueryModel] })
export class GrantModule {}
