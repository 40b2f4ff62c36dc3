import type { EventStore } from '@tashghil/event-store';
import type { ServiceSpec } from '@tashghil/service-kit';
import { ImportModule } from './import/import.module';
import { MatchingRunModule } from './matching-run/matching-run.module';
import { matchingSubscriptions } from './matching-run/streaming';
import { ensureOfferModel, OfferModule } from './offer/offer.module';
import { ensurePlacementModel, PlacementModule } from './placement/placement.module';
import { ensureSeekerModel, SeekerModule } from './seeker/seeker.module';

/** The matching service: seekers, offers, matching runs and placements; it relays the `matching` context. */
export const matchingService: ServiceSpec = {
  name: 'matching',
  modules: [SeekerModule, OfferModule, PlacementModule, MatchingRunModule, ImportModule],
  consumers: [],
  relays: ['matching'],
  subscriptions: matchingSubscriptions,
  migrations: [],
  defaultPort: 3003,
  defaultMode: 'distributed',
};

/**
 * The query models q.seekers, q.offers and q.placements, created or rebuilt as the service's modules
 * do at start-up. A store opened without the service (a test, a bench, a tool) calls this before it
 * writes a seeker, an offer or a placement: their deciders write their rows with every append.
 */
export const ensureMatchingQueryModels = async (store: EventStore): Promise<void> => {
  await ensureSeekerModel(store);
  await ensureOfferModel(store);
  await ensurePlacementModel(store);
};
