import type { ServiceSpec } from '@tashghil/service-kit';
import { ConventionModule } from './convention/convention.module';

/** The conventions service: conventions and programme governance; it relays the `conventions` context. */
export const conventionsService: ServiceSpec = {
  name: 'conventions',
  modules: [ConventionModule],
  consumers: [],
  relays: ['conventions'],
  migrations: [],
  defaultPort: 3001,
  defaultMode: 'distributed',
};
