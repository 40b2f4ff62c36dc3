import type { ServiceSpec } from '@tashghil/service-kit';
import { ImportModule } from './import/import.module';
import { MatchingRunModule } from './matching-run/matching-run.module';
import { OfferModule } from './offer/offer.module';
import { PlacementModule } from './placement/placement.module';
import { SeekerModule } from './seeker/seeker.module';

/** The matching service: seekers, offers, matching runs and placements; it relays the `matching` context. */
export const matchingService: ServiceSpec = {
  name: 'matching',
  modules: [SeekerModule, OfferModule, PlacementModule, MatchingRunModule, ImportModule],
  consumers: [],
  relays: ['matching'],
  migrations: [],
  defaultPort: 3003,
  defaultMode: 'distributed',
};
