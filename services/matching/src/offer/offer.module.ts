import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { OfferController } from './offer.controller';
import { offerDecider } from './offer.decider';

/** Creates q.offers, or rebuilds it from the store when its layout changed, before the service takes a request. */
export const ensureOfferModel = async (store: EventStore): Promise<void> => {
  await ensureQueryModel(store, offerDecider);
};

@Injectable()
export class OfferQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onModuleInit(): Promise<void> {
    return ensureOfferModel(this.store);
  }
}

@Module({ controllers: [OfferController], providers: [OfferQueryModel] })
export class OfferModule {}
