import type { ServiceSpec } from '@tashghil/service-kit';
import { ConventionsByRegionModule } from './conventions-by-region/conventions-by-region.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { REPORTING_CONSUMER } from './read-model/generations';
import { REPORTING_MIGRATIONS } from './migrations';
import { ReportModule } from './report/report.module';

/** The reporting service: read models projected from every context's topic, and the committee API. */
export const reportingService: ServiceSpec = {
  name: 'reporting',
  modules: [ReportModule, ConventionsByRegionModule, DashboardModule],
  consumers: [REPORTING_CONSUMER],
  relays: [],
  migrations: REPORTING_MIGRATIONS,
  defaultPort: 3002,
  defaultMode: 'distributed',
};
