import { REGIONS } from '@tashghil/contracts';
import type { QueryModel } from '@tashghil/event-store';
import { phaseOn, signedPhaseOn, type ConventionState } from './convention.model';
import { totalsOf } from './convention.view';

/**
 * A convention as `GET /conventions` lists it, less what the day decides: `phase` is where it stands
 * whatever the day, `signed` for every signed convention, which conventionOn turns into signed,
 * active or period-ended.
 */
export const conventionListed = (s: Exclude<ConventionState, { status: 'none' }>) => ({
  conventionId: s.conventionId,
  region: s.region,
  regionName: REGIONS[s.region],
  title: s.title,
  period: s.period,
  status: s.status,
  phase: s.status === 'signed' ? 'signed' : phaseOn(s, ''),
  totals: totalsOf(s),
});

export type ConventionListed = ReturnType<typeof conventionListed>;

/** The list item on a day: a signed convention's phase read from its period. */
export const conventionOn = (listed: ConventionListed, version: number, today: string) => ({
  ...listed,
  phase: listed.status === 'signed' ? signedPhaseOn(listed.period, today) : listed.phase,
  version,
});

/**
 * q.conventions: one row per convention, written with every append to it. A convention names
 * institutions and their signatories' offices; the decider seals nothing, and the row holds no more
 * than the list showed. The period is kept as ISO days (text, compared as dates) so a phase that
 * depends on the day is filtered in SQL against the day of the request.
 */
export const conventionQueryModel: QueryModel<ConventionState> = {
  table: 'q.conventions',
  category: 'conventions.convention',
  columns: { region: 'text', status: 'text', phase: 'text', period_start: 'text', period_end: 'text', view: 'jsonb' },
  indexes: ['region, stream_id', 'region, status, stream_id'],
  row: (s) => {
    if (s.status === 'none') return null;
    const view = conventionListed(s);
    return {
      region: s.region,
      status: s.status,
      phase: view.phase,
      period_start: s.period.start,
      period_end: s.period.end,
      view,
    };
  },
};
