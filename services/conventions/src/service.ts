import type { ServiceSpec } from '@tashghil/service-kit';
import { CommitteeModule } from './committee/committee.module';
import { ConventionModule } from './convention/convention.module';
import { ProgrammeTargetsModule } from './programme-targets/programme-targets.module';

/** The conventions service: conventions and programme governance; it relays the `conventions` context. */
export const conventionsService: ServiceSpec = {
  name: 'conventions',
  modules: [ConventionModule, CommitteeModule, ProgrammeTargetsModule],
  consumers: [],
  relays: ['conventions'],
  migrations: [],
  defaultPort: 3001,
  defaultMode: 'distributed',
};
