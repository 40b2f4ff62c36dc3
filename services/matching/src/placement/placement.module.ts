import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { PlacementController } from './placement.controller';
import { placementDecider } from './placement.decider';

/** Creates q.placements, or rebuilds it from the store when its layout changed, before the service takes a request. */
export const ensurePlacementModel = async (store: EventStore): Promise<void> => {
  await ensureQueryModel(store, placementDecider);
};

@Injectable()
export class PlacementQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onModuleInit(): Promise<void> {
    return ensurePlacementModel(this.store);
  }
}

@Module({ controllers: [PlacementController], providers: [PlacementQueryModel] })
export class PlacementModule {}
