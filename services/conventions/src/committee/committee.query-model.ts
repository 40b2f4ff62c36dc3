import { REGIONS } from '@tashghil/contracts';
import type { QueryModel } from '@tashghil/event-store';
import type { Committee, EstablishedCommittee } from './committee-state.decider';

/** A committee as `GET /committees` lists it: its charter and seats, and how many meetings and decisions it has. */
export const committeeListed = (s: EstablishedCommittee) => ({
  committeeId: s.committeeId,
  region: s.region,
  regionName: REGIONS[s.region],
  programme: s.programme,
  kind: s.kind,
  ...(s.parentCommitteeId ? { parentCommitteeId: s.parentCommitteeId } : {}),
  chair: s.chair,
  secretary: s.secretary,
  meetings: s.meetings.length,
  decisions: s.decisions.length,
});

export type CommitteeListed = ReturnType<typeof committeeListed>;

/**
 * q.committees: one row per committee, written with every append to it. The chair and secretary
 * are offices held by name, as the list always showed them; the decider seals nothing, and the
 * minutes and attendance stay out of the table.
 */
export const committeeQueryModel: QueryModel<Committee> = {
  table: 'q.committees',
  category: 'conventions.committee',
  columns: { region: 'text', programme: 'text', kind: 'text', view: 'jsonb' },
  indexes: ['region, stream_id', 'region, programme, stream_id'],
  row: (s) =>
    s.status === 'none' ? null : { region: s.region, programme: s.programme, kind: s.kind, view: committeeListed(s) },
};
