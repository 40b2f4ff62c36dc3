import type { ServiceSpec } from '@tashghil/service-kit';
import { EnvelopeModule } from './envelope/envelope.module';
import { SUBSIDIES_CONSUMER } from './envelope/envelope.consumer';
import { GrantModule } from './grant/grant.module';
import { ParameterModule } from './parameter/parameter.module';
import { WorksProjectModule } from './works-project/works-project.module';

/** The subsidies service: Awrach works sites and integration grants, their rules, envelopes and payments; it relays the `subsidies` context. */
export const subsidiesService: ServiceSpec = {
  name: 'subsidies',
  modules: [ParameterModule, EnvelopeModule, GrantModule, WorksProjectModule],
  consumers: [SUBSIDIES_CONSUMER],
  relays: ['subsidies'],
  migrations: [],
  defaultPort: 3004,
  defaultMode: 'distributed',
};
