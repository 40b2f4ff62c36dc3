import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { ConventionController } from './convention.controller';
import { conventionDecider } from './convention.decider';

/** Creates q.conventions, or rebuilds it from the store when its layout changed, before the service takes a request. */
@Injectable()
export class ConventionQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await ensureQueryModel(this.store, conventionDecider);
  }
}

@Module({ controllers: [ConventionController], providers: [ConventionQueryModel] })
export class ConventionModule {}
