import { REGIONS } from '@tashghil/contracts';
import type { QueryModel } from '@tashghil/event-store';
import type { CurrentTargets, ProgrammeTargets } from './programme-targets.decider';

/** Targets as their list and GET show them: the components, the figures' reference and revision, and totals. */
export const targetsListed = (s: CurrentTargets) => {
  const { status: _status, ...targets } = s;
  return {
    ...targets,
    regionName: REGIONS[s.region],
    totals: {
      targetJobs: s.components.reduce((n, c) => n + c.targetJobs, 0),
      budgetCentimes: s.components.reduce((n, c) => n + (c.budgetCentimes ?? 0), 0),
    },
  };
};

export type TargetsListed = ReturnType<typeof targetsListed>;

/**
 * q.programme_targets: one row per region, programme and year, written with every revision. The
 * figures are public programme data; `setBy` names the account that set them, as the list always did.
 */
export const programmeTargetsQueryModel: QueryModel<ProgrammeTargets> = {
  table: 'q.programme_targets',
  category: 'conventions.programmetargets',
  columns: { region: 'text', programme: 'text', year: 'integer', view: 'jsonb' },
  indexes: ['region, stream_id'],
  row: (s) =>
    s.status === 'none' ? null : { region: s.region, programme: s.programme, year: s.year, view: targetsListed(s) },
};
