import { REGIONS, type RegionCode } from '@tashghil/contracts';
import type { QueryModel } from '@tashghil/event-store';
import type { Envelope } from './envelope.decider';

/** An envelope as its list and GET show it: each component's target, what files hold of it, what is left. */
export const envelopeListed = (s: Extract<Envelope, { status: 'set' }>) => ({
  ...s.key,
  regionName: REGIONS[s.key.region as RegionCode],
  revision: s.revision,
  reference: s.reference,
  components: s.limits.map((l) => {
    const used = s.reserved[l.component] ?? { jobs: 0, centimes: 0 };
    return {
      component: l.component,
      targetJobs: l.targetJobs,
      reservedJobs: used.jobs,
      remainingJobs: l.targetJobs - used.jobs,
      ...(l.budgetCentimes === undefined
        ? {}
        : {
            budgetCentimes: l.budgetCentimes,
            committedCentimes: used.centimes,
            remainingCentimes: l.budgetCentimes - used.centimes,
          }),
    };
  }),
  files: s.holdings.size,
  releasedFiles: s.releasedFiles,
});

export type EnvelopeListed = ReturnType<typeof envelopeListed>;

/**
 * q.envelopes: one row per region, programme and year whose targets reached the service, written
 * with every append to the envelope (each approval's reservation among them). An envelope holds
 * figures and file ids, nothing personal. Places reserved before the targets arrived have no row
 * until they do, as the list never showed them.
 */
export const envelopeQueryModel: QueryModel<Envelope> = {
  table: 'q.envelopes',
  category: 'subsidies.envelope',
  columns: { region: 'text', programme: 'text', year: 'integer', view: 'jsonb' },
  indexes: ['region, stream_id'],
  row: (s) =>
    s.status === 'set'
      ? { region: s.key.region, programme: s.key.programme, year: s.key.year, view: envelopeListed(s) }
      : null,
};
