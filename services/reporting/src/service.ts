import type { ServiceSpec } from '@tashghil/service-kit';
import { ConventionsByRegionModule } from './conventions-by-region/conventions-by-region.module';
import { REPORTING_CONSUMER } from './conventions-by-region/conventions-by-region.projection';
import { REPORTING_MIGRATIONS } from './migrations';

/** The reporting service: read models projected from every context's topic, and the committee API. */
export const reportingService: ServiceSpec = {
  name: 'reporting',
  modules: [ConventionsByRegionModule],
  consumers: [REPORTING_CONSUMER],
  relays: [],
  migrations: REPORTING_MIGRATIONS,
  defaultPort: 3002,
  defaultMode: 'distributed',
};
