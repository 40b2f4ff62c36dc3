import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { SeekerController } from './seeker.controller';
import { seekerDecider } from './seeker.decider';

/** Creates q.seekers, or rebuilds it from the store when its layout changed, before the service takes a request. */
export const ensureSeekerModel = async (store: EventStore): Promise<void> => {
  await ensureQueryModel(store, seekerDecider);
};

@Injectable()
export class SeekerQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onModuleInit(): Promise<void> {
    return ensureSeekerModel(this.store);
  }
}

@Module({ controllers: [SeekerController], providers: [SeekerQueryModel] })
export class SeekerModule {}
