import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { CommitteeController } from './committee.controller';
import { committeeDecider } from './committee.decider';

/** Creates q.committees, or rebuilds it from the store when its layout changed, before the service takes a request. */
@Injectable()
export class CommitteeQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await ensureQueryModel(this.store, committeeDecider);
  }
}

@Module({ controllers: [CommitteeController], providers: [CommitteeQueryModel] })
export class CommitteeModule {}
