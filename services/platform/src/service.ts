import { conventionsService } from '@tashghil/conventions';
import { matchingService } from '@tashghil/matching';
import { reportingService } from '@tashghil/reporting';
import { subsidiesService } from '@tashghil/subsidies';
import type { ServiceSpec } from '@tashghil/service-kit';
import { seedDemoData } from './demo-data';

const parts = [conventionsService, matchingService, subsidiesService, reportingService];

/** Every service in one process: the embedded default that `npm start` runs. */
export const platformService: ServiceSpec = {
  name: 'platform',
  modules: parts.flatMap((p) => p.modules),
  consumers: parts.flatMap((p) => p.consumers),
  relays: parts.flatMap((p) => p.relays),
  subscriptions: (env) => parts.flatMap((p) => p.subscriptions?.(env) ?? []),
  migrations: parts.flatMap((p) => p.migrations),
  defaultPort: 3000,
  defaultMode: 'embedded',
  seed: seedDemoData,
};
